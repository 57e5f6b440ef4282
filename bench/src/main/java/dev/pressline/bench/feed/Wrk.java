package dev.pressline.bench.feed;

import dev.pressline.bench.report.Report;
import dev.pressline.bench.run.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  private static final Pattern REQUESTS = Pattern.compile("(?m)^\\s*(\\d+) requests in ");
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+(\\S+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern ERROR_ANSWERS = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

  /**
   * What wrk counted on its sockets; it prints the line only when one of them is not zero.
   *
   * @param connect connections that could not be opened
   * @param read failed reads (including a connection the server closed)
   * @param write failed writes
   * @param timeout requests that got no answer within wrk's timeout (2 s)
   */
  public record SocketErrors(long connect, long read, long write, long timeout) {

    public static final SocketErrors NONE = new SocketErrors(0, 0, 0, 0);

    public long total() {
      return connect + read + write + timeout;
    }
  }

  /**
   * What one wrk run measured.
   *
   * @param requests answers wrk read completely ({@code N requests in}); -1 when it printed no count
   * @param requestsPerSecond its rate ({@code Requests/sec}); NaN when it printed none
   * @param socketErrors its {@code Socket errors} line, or {@link SocketErrors#NONE} without one
   * @param errorAnswers answers with a status of 400 or more ({@code Non-2xx or 3xx responses})
   * @param output everything wrk printed
   */
  public record Result(long requests, double requestsPerSecond, SocketErrors socketErrors, long errorAnswers,
      String output) {

    /** Why this measurement is no figure, one reason a line; empty when it is sound. */
    public List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (requests < 0) {
        problems.add("wrk printed no request count");
      } else if (requests == 0) {
        problems.add("wrk counted 0 requests");
      }
      if (!(requestsPerSecond > 0) || !Double.isFinite(requestsPerSecond)) {
        problems.add("wrk's rate is " + requestsPerSecond + " req/s");
      }
      if (socketErrors.total() > 0) {
        problems.add(String.format(Locale.ROOT, "wrk counted socket errors: connect %d, read %d, write %d, timeout %d",
            socketErrors.connect(), socketErrors.read(), socketErrors.write(), socketErrors.timeout()));
      }
      if (errorAnswers > 0) {
        problems.add(String.format(Locale.ROOT, "wrk counted %,d error answers (status 400 or more)", errorAnswers));
      }
      return problems;
    }

    /** Records each problem of this measurement as degenerate in {@code report}; true when there was none. */
    public boolean check(Report report, String what) {
      List<String> problems = problems();
      problems.forEach(problem -> report.degenerate(what, problem));
      return problems.isEmpty();
    }
  }

  public Result run(String url, Map<String, String> headers, Path logFile) throws InterruptedException {
    List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
        "-d" + duration.toSeconds() + "s", "--latency"));
    headers.forEach((name, value) -> command.addAll(List.of("-H", name + ": " + value)));
    command.add(url);
    return parse(ChildProcess.run("wrk", command, Map.of(), logFile, duration.plusMinutes(1)));
  }

  /** Reads wrk's summary; a figure it did not print is left as "none" (-1, NaN) for {@link Result#problems()}. */
  public static Result parse(String output) {
    Matcher requests = REQUESTS.matcher(output);
    Matcher rate = RATE.matcher(output);
    Matcher socket = SOCKET_ERRORS.matcher(output);
    Matcher errors = ERROR_ANSWERS.matcher(output);
    SocketErrors socketErrors = socket.find()
        ? new SocketErrors(Long.parseLong(socket.group(1)), Long.parseLong(socket.group(2)),
            Long.parseLong(socket.group(3)), Long.parseLong(socket.group(4)))
        : SocketErrors.NONE;
    return new Result(requests.find() ? Long.parseLong(requests.group(1)) : -1,
        rate.find() ? number(rate.group(1)) : Double.NaN, socketErrors,
        errors.find() ? Long.parseLong(errors.group(1)) : 0, output);
  }

  /** wrk prints its rate with printf, so a division by a zero time comes out as "nan" or "inf". */
  private static double number(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
