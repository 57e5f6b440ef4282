package dev.pressline.outside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** One shipped jar running as its own process, as {@code java -jar} starts it for a user. */
final class JarProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;

  private JarProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static JarProcess start(ShippedJar jar, List<String> args, Map<String, String> env, Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(jar.path().toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // the jar sees only the settings the test gives it, never an operator's from the shell that runs the build
    builder.environment().keySet().removeIf(name -> name.startsWith("PRESSLINE_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    // a test JVM that stops without closing its fixtures must not leave pipelines running
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + jar.name()));
    return new JarProcess(jar.name().toLowerCase(java.util.Locale.ROOT), process, log);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit status once the process has ended within {@code timeout}; empty while it runs. */
  OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
  }

  Path log() {
    return log;
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  String name() {
    return name;
  }

  /** Stops the process as Ctrl-C would, and hard after 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
