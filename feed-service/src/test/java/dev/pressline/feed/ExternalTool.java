package dev.pressline.feed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a command-line client installed from Debian and returns what it printed. */
final class ExternalTool {

  private static final Logger log = LoggerFactory.getLogger(ExternalTool.class);

  record Result(int exitCode, String output) {}

  /**
   * Skips the calling test when a tool is missing, saying why both in the build log (surefire's
   * console line shows only a count) and in the test report.
   */
  static void assumePresent(boolean present, String reason) {
    if (!present) {
      log.warn("SKIPPED: {}", reason);
    }
    Assumptions.assumeThat(present).as(reason).isTrue();
  }

  private ExternalTool() {}

  static boolean installed(String executable) {
    return Files.isExecutable(Path.of(executable));
  }

  static Result run(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish within 120 s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
