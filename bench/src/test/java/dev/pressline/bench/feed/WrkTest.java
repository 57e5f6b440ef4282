package dev.pressline.bench.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.bench.report.Report;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrkTest {

  private static final String SOUND = """
      Running 10s test @ http://127.0.0.1:41234/feed.xml
        2 threads and 64 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency    19.51ms    5.31ms  78.63ms   81.97%
          Req/Sec     1.65k   161.78     2.05k    71.50%
        Latency Distribution
           50%   18.79ms
           75%   21.43ms
           90%   25.15ms
           99%   38.74ms
        32871 requests in 10.01s, 27.80GB read
      Requests/sec:   3283.95
      Transfer/sec:      2.78GB
      """;

  /** What wrk printed against feed-service when its 304 carried a Content-Length but no body. */
  private static final String ZERO_REQUESTS = """
      Running 1s test @ http://127.0.0.1:41234/feed.xml
        2 threads and 4 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency     0.00us    0.00us   0.00us    -nan%
          Req/Sec     0.00      0.00     0.00      -nan%
        Latency Distribution
           50%    0.00us
           75%    0.00us
           90%    0.00us
           99%    0.00us
        0 requests in 1.00s, 1.21KB read
      Requests/sec:      0.00
      Transfer/sec:       1.20KB
      """;

  private static final String SOCKET_ERRORS = """
      Running 10s test @ http://127.0.0.1:41235/feed.xml
        2 threads and 64 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency     5.12ms    2.01ms  40.10ms   90.12%
          Req/Sec     6.05k   400.11     7.01k    69.00%
        Latency Distribution
           50%    4.90ms
           75%    5.80ms
           90%    7.10ms
           99%   12.30ms
        120311 requests in 10.00s, 25.01MB read
        Socket errors: connect 3, read 52, write 1, timeout 7
        Non-2xx or 3xx responses: 17
      Requests/sec:  12026.33
      Transfer/sec:      2.50MB
      """;

  @Test
  void readsRequestsAndRateOfASoundRun() {
    Wrk.Result result = Wrk.parse(SOUND);

    assertThat(result.requests()).isEqualTo(32_871);
    assertThat(result.requestsPerSecond()).isEqualTo(3283.95);
    assertThat(result.socketErrors()).isEqualTo(Wrk.SocketErrors.NONE);
    assertThat(result.errorAnswers()).isZero();
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void zeroRequestsAreDegenerate() {
    Wrk.Result result = Wrk.parse(ZERO_REQUESTS);

    assertThat(result.requests()).isZero();
    assertThat(result.requestsPerSecond()).isZero();
    assertThat(result.problems()).containsExactly("wrk counted 0 requests", "wrk's rate is 0.0 req/s");
  }

  @Test
  void readsEachKindOfSocketErrorAndTheErrorAnswers() {
    Wrk.Result result = Wrk.parse(SOCKET_ERRORS);

    assertThat(result.requests()).isEqualTo(120_311);
    assertThat(result.socketErrors()).isEqualTo(new Wrk.SocketErrors(3, 52, 1, 7));
    assertThat(result.errorAnswers()).isEqualTo(17);
    assertThat(result.problems()).containsExactly(
        "wrk counted socket errors: connect 3, read 52, write 1, timeout 7",
        "wrk counted 17 error answers (status 400 or more)");
  }

  @Test
  void aTimeoutAloneIsDegenerate() {
    Wrk.Result result = Wrk.parse(SOUND.replace("27.80GB read\n", "27.80GB read\n  Socket errors: connect 0, read 0,"
        + " write 0, timeout 2\n"));

    assertThat(result.socketErrors()).isEqualTo(new Wrk.SocketErrors(0, 0, 0, 2));
    assertThat(result.problems()).containsExactly("wrk counted socket errors: connect 0, read 0, write 0, timeout 2");
  }

  @Test
  void outputWithoutFiguresIsDegenerateRatherThanZero() {
    Wrk.Result result = Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n");

    assertThat(result.requests()).isEqualTo(-1);
    assertThat(result.requestsPerSecond()).isNaN();
    assertThat(result.problems()).containsExactly("wrk printed no request count", "wrk's rate is NaN req/s");
  }

  @Test
  void aRateThatIsNotANumberIsDegenerate() {
    Wrk.Result result = Wrk.parse(SOUND.replace("Requests/sec:   3283.95", "Requests/sec:       nan"));

    assertThat(result.requests()).isEqualTo(32_871);
    assertThat(result.requestsPerSecond()).isNaN();
    assertThat(result.problems()).containsExactly("wrk's rate is NaN req/s");
  }

  @Test
  void checkRecordsEachProblemInTheReportAndFailsIt(@TempDir Path dir) {
    Report report = new Report("feed-serving", dir, true);

    boolean sound = Wrk.parse(SOUND).check(report, "200 full body, run 1, nginx");
    boolean zero = Wrk.parse(ZERO_REQUESTS).check(report, "304 If-None-Match, run 1, pressline");

    assertThat(sound).isTrue();
    assertThat(zero).isFalse();
    assertThat(report.degenerateMeasurements()).containsExactly(
        "304 If-None-Match, run 1, pressline: wrk counted 0 requests",
        "304 If-None-Match, run 1, pressline: wrk's rate is 0.0 req/s");
    assertThat(report.exitCode()).isNotZero();
  }
}
