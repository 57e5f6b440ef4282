package dev.pressline.reliability.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java process started from this test's own classpath, with its output appended to a log file, so
 * a test can kill it the way an operating system or an operator would ({@code kill -9}).
 */
public final class ChildJvm implements AutoCloseable {

  private final String name;
  private final Process process;

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /**
   * Starts {@code mainClass} with exactly the given {@code PRESSLINE_*} environment (inherited ones
   * are dropped so the developer's own settings cannot leak into a test) and its output in {@code log}.
   */
  public static ChildJvm start(String name, String mainClass, List<String> args, Map<String, String> env,
      String maxHeap, Path log) {
    requireNonNull(mainClass, "mainClass");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    // a child that is killed must not leave a JIT-heavy start behind on a 2-core machine
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("PRESSLINE_"));
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      watchParent(process.pid());
      return new ChildJvm(name, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /**
   * A test JVM killed hard (a CI time limit, a developer's {@code kill -9}) runs no cleanup, and its
   * children would go on holding ports and CPU. A small shell loop beside each child kills it once
   * this JVM is gone, and ends by itself as soon as the child does.
   */
  private static void watchParent(long child) throws IOException {
    long parent = ProcessHandle.current().pid();
    String loop = "while kill -0 " + parent + " 2>/dev/null; do kill -0 " + child + " 2>/dev/null || exit 0; "
        + "sleep 2; done; kill -9 " + child + " 2>/dev/null";
    new ProcessBuilder("sh", "-c", loop).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed, sockets just drop. */
  public void kill9() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** SIGTERM: the shutdown hooks run, as on Ctrl-C or a service manager's stop. */
  public void stop() {
    process.destroy();
    if (!waitFor(Duration.ofSeconds(60))) {
      kill9();
    }
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill9();
    }
  }
}
