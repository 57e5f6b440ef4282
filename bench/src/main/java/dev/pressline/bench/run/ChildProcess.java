package dev.pressline.bench.run;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A program the benchmark runs beside itself (a service jar, smtp-sink, nginx, wrk, node), with its
 * output in a log file so a failed run can be read afterwards. Closing it ends the process and its
 * children, so no tool is left listening when a benchmark stops.
 */
public final class ChildProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path logFile;
  private final long startedNanos;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread hook;

  private ChildProcess(String name, Process process, Path logFile, long startedNanos, Thread hook) {
    this.name = name;
    this.hook = hook;
    this.process = process;
    this.logFile = logFile;
    this.startedNanos = startedNanos;
  }

  /** Starts {@code command} with {@code env} added to this JVM's environment, output to {@code logFile}. */
  public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path logFile) {
    requireNonNull(name, "name");
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(logFile.toFile());
      builder.environment().putAll(env);
      long started = System.nanoTime();
      Process process = builder.start();
      // a driver stopped with Ctrl-C must not leave a service, broker client or nginx behind
      Thread hook = new Thread(() -> {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }, "stop-" + name);
      Runtime.getRuntime().addShutdownHook(hook);
      return new ChildProcess(name, process, logFile, started, hook);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + String.join(" ", command) + ")", e);
    }
  }

  /** Runs {@code command} to its end and returns its output; fails when it exits non-zero or overruns. */
  public static String run(String name, List<String> command, Map<String, String> env, Path logFile,
      Duration timeout) throws InterruptedException {
    try (ChildProcess child = start(name, command, env, logFile)) {
      int code = child.awaitExit(timeout);
      String output = child.output();
      if (code != 0) {
        throw new IllegalStateException(name + " exited with " + code + ": " + tail(output));
      }
      return output;
    }
  }

  /** Waits for the process to end by itself; returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s; see " + logFile);
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** When the process was started, on the {@link System#nanoTime()} scale. */
  public long startedNanos() {
    return startedNanos;
  }

  public Path logFile() {
    return logFile;
  }

  /** Everything the process printed so far. */
  public String output() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output of " + name, e);
    }
  }

  private static String tail(String text) {
    return text.length() <= 2000 ? text : "…" + text.substring(text.length() - 2000);
  }

  @Override
  public void close() throws InterruptedException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook stops the process
    }
    if (!process.isAlive()) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      // a JVM that does not finish its shutdown hook in time is ended hard
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
