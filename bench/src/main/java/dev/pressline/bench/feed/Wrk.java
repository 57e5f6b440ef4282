package dev.pressline.bench.feed;

import dev.pressline.bench.run.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code wrk} HTTP load generator: a fixed number of keep-alive connections for a fixed time.
 *
 * @param threads wrk threads
 * @param connections open connections
 * @param duration how long each measurement lasts
 */
public record Wrk(int threads, int connections, Duration duration) {

  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

  /** What one wrk run measured. */
  public record Result(double requestsPerSecond, long badResponses, String output) {}

  public Result run(String url, Map<String, String> headers, Path logFile) throws InterruptedException {
    List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
        "-d" + duration.toSeconds() + "s", "--latency"));
    headers.forEach((name, value) -> command.addAll(List.of("-H", name + ": " + value)));
    command.add(url);
    String output = ChildProcess.run("wrk", command, Map.of(), logFile, duration.plusMinutes(1));
    Matcher rate = RATE.matcher(output);
    if (!rate.find()) {
      throw new IllegalStateException("wrk printed no rate: " + output);
    }
    Matcher errors = ERRORS.matcher(output);
    return new Result(Double.parseDouble(rate.group(1)), errors.find() ? Long.parseLong(errors.group(1)) : 0,
        output);
  }
}
