package dev.pressline.outside;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The programs people use, as Debian installs them. A missing one fails the test where
 * {@code pressline.requireTools} is true (CI) and skips it elsewhere, saying which package brings it.
 */
final class Tools {

  private static final Logger log = LoggerFactory.getLogger(Tools.class);

  record Result(int exitCode, String output) {}

  private Tools() {}

  /** The absolute path of {@code command}, or a failed/skipped test naming the Debian package. */
  static String require(String command, String debianPackage) {
    Optional<Path> found = find(command);
    if (found.isEmpty()) {
      String reason = command + " is not installed (apt-get install " + debianPackage + ")";
      if (Boolean.getBoolean("pressline.requireTools")) {
        fail(reason + "; pressline.requireTools is set, so this is a failure, not a skip");
      }
      log.warn("SKIPPED: {}", reason);
      Assumptions.assumeThat(found).as(reason).isPresent();
    }
    return found.orElseThrow().toString();
  }

  /** {@code /usr/bin/python3} with a module, which the Debian package {@code pkg} brings. */
  static String requirePythonModule(String module, String debianPackage) {
    String python = require("/usr/bin/python3", "python3");
    boolean present;
    try {
      present = run(List.of(python, "-c", "import " + module), Map.of(), 60).exitCode() == 0;
    } catch (IOException e) {
      present = false;
    }
    if (!present) {
      String reason = "the Python module " + module + " is missing (apt-get install " + debianPackage + ")";
      if (Boolean.getBoolean("pressline.requireTools")) {
        fail(reason + "; pressline.requireTools is set, so this is a failure, not a skip");
      }
      log.warn("SKIPPED: {}", reason);
      Assumptions.assumeThat(present).as(reason).isTrue();
    }
    return python;
  }

  private static Optional<Path> find(String command) {
    if (command.startsWith("/")) {
      Path p = Path.of(command);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, command);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Runs a command to its end (at most {@code timeoutSeconds}) and returns what it printed. */
  static Result run(List<String> command, Map<String, String> env, int timeoutSeconds) throws IOException {
    return run(command, env, null, timeoutSeconds);
  }

  /** As {@link #run(List, Map, int)}, with {@code input} on standard input. */
  static Result run(List<String> command, Map<String, String> env, byte[] input, int timeoutSeconds)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    if (input == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process = builder.start();
    if (input != null) {
      // the command may read all of it before it prints; a thread keeps a large input from deadlocking
      Thread feeder =
          new Thread(
              () -> {
                try (var in = process.getOutputStream()) {
                  in.write(input);
                } catch (IOException e) {
                  log.debug("{} stopped reading its input: {}", command.get(0), e.getMessage());
                }
              },
              "stdin-" + Path.of(command.get(0)).getFileName());
      feeder.start();
    }
    try {
      var output = new java.io.ByteArrayOutputStream();
      Thread reader =
          new Thread(
              () -> {
                try {
                  process.getInputStream().transferTo(output);
                } catch (IOException e) {
                  log.debug("output of {} ended: {}", command.get(0), e.getMessage());
                }
              },
              "stdout-" + Path.of(command.get(0)).getFileName());
      reader.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        fail(command + " did not finish within " + timeoutSeconds + " s; it printed:\n" + output);
      }
      reader.join(10_000);
      return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while " + command.get(0) + " ran", e);
    }
  }
}
