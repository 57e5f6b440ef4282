package dev.pressline.reliability.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse of the HTTP surfaces: admin actions without or with a wrong token, subscribe flooding,
 * oversized bodies, headers and URLs, and slow clients holding connections open.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpAbuseTest {

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

  private Path root;
  private RunningPipeline pipeline;

  @BeforeAll
  void start(KafkaBroker broker, @TempDir Path tempDir) throws Exception {
    root = tempDir;
    pipeline = new RunningPipeline(broker.freshSettings(), smtp.getSmtp().getPort(), root, Map.of());
  }

  @AfterAll
  void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private int publisherPort() {
    return pipeline.publisher.httpPort();
  }

  /** The status of an admin request sent byte for byte, so the header is exactly what the attacker typed. */
  private int admin(String path, String method, String authorization) {
    return rawStatus(publisherPort(), method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
        + ("POST".equals(method) ? "Content-Length: 0\r\n" : "") + "Connection: close\r\n\r\n");
  }

  @Test
  void adminActionsNeedTheExactToken() {
    String token = RunningPipeline.ADMIN_TOKEN;
    String[] wrong = {null, "", "Bearer", "Bearer ", "Bearer wrong", "Bearer " + token.substring(0, token.length() - 1),
        "Bearer " + token + "x", "Basic " + token, "bearer" + token, "Bearer " + token.toUpperCase(),
        "Token " + token};
    for (String authorization : wrong) {
      assertThat(admin("/admin/report?slug=anything", "GET", authorization))
          .as("report with Authorization %s", authorization).isIn(401, 403);
      assertThat(admin("/admin/retry-failed?slug=anything", "POST", authorization))
          .as("retry-failed with Authorization %s", authorization).isIn(401, 403);
    }
    assertThat(admin("/admin/report?slug=anything", "GET", "Bearer " + token)).as("the exact token").isEqualTo(200);
    assertThat(admin("/admin/../admin/report?slug=anything", "GET", null)).isIn(400, 401, 403, 404);
    assertThat(admin("/admin/%2e%2e/admin/report?slug=anything", "GET", null)).isIn(400, 401, 403, 404);
    assertThat(admin("/ADMIN/report?slug=anything", "GET", null)).isNotEqualTo(200);
  }

  @Test
  void subscribeFloodingFromOneAddressIsCutOff() {
    // a client of its own: the oversized-body test leaves connections the server has closed
    Http http = new Http();
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      statuses.add(http.send(HttpRequest.newBuilder(Http.uri(publisherPort(), "/subscribe"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"flood" + i + "@example.org\"}")).build()).statusCode());
    }
    assertThat(statuses).as("answers to 25 subscribe requests in a row").contains(429);
    assertThat(statuses.stream().filter(s -> s == 202).count()).as("accepted before the limit").isLessThanOrEqualTo(10);
    assertThat(statuses.subList(statuses.size() - 5, statuses.size())).as("the flood stays cut off").containsOnly(429);
    await("confirmation mails settle").atMost(Duration.ofSeconds(30))
        .until(() -> smtp.getReceivedMessages().length >= statuses.stream().filter(s -> s == 202).count());
    assertThat(smtp.getReceivedMessages().length).as("mails sent by the flood").isLessThanOrEqualTo(10);
  }

  @Test
  void oversizedBodiesHeadersAndUrlsAreRefusedAndTheServicesStayUp() {
    Http http = new Http();
    String bigForm = "email=" + "a".repeat(2 * 1024 * 1024) + "@example.org";
    int formStatus = statusOrDropped(HttpRequest.newBuilder(Http.uri(publisherPort(), "/unsubscribe?token=x"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(bigForm)).build());
    assertThat(formStatus).as("2 MiB form").isIn(400, 413, -1);
    int jsonStatus = statusOrDropped(HttpRequest.newBuilder(Http.uri(publisherPort(), "/subscribe"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + "b".repeat(1024 * 1024) + "\"}")).build());
    assertThat(jsonStatus).as("1 MiB JSON").isIn(400, 413, 429, -1);
    for (int port : new int[] {publisherPort(), pipeline.feed.httpPort()}) {
      assertThat(rawStatus(port, "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "c".repeat(64 * 1024) + "\r\n\r\n"))
          .as("64 KiB header on port %d", port).isIn(400, 413, 431);
      assertThat(rawStatus(port, "GET /" + "d".repeat(64 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"))
          .as("64 KiB URL on port %d", port).isIn(400, 414, 431);
      assertThat(http.status(port, "/health")).isEqualTo(200);
    }
  }

  @Test
  void slowClientsDoNotStarveOthers() throws Exception {
    Http http = new Http();
    List<Socket> slow = new ArrayList<>();
    try {
      for (int port : new int[] {publisherPort(), pipeline.feed.httpPort()}) {
        for (int i = 0; i < 40; i++) {
          Socket socket = new Socket("localhost", port);
          OutputStream out = socket.getOutputStream();
          // a request that never finishes: headers cut off, or a body announced and never sent
          out.write((i % 2 == 0 ? "GET /feed.xml HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
              : "POST /subscribe HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  + "Content-Length: 100000\r\n\r\nemail=a").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          slow.add(socket);
        }
      }
      for (int port : new int[] {publisherPort(), pipeline.feed.httpPort()}) {
        for (int i = 0; i < 5; i++) {
          assertThat(http.status(port, "/health")).as("health on %d with 40 slow clients attached", port).isEqualTo(200);
        }
      }
      assertThat(http.get(pipeline.feed.httpPort(), "/feed.xml").statusCode()).isEqualTo(200);
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  /**
   * Was a bug (issue 10, #7): 260 connections each trickling a declared 10 KB body held one thread
   * each, and /health timed out for as long as they lasted. Now a body is collected without a thread
   * and cut off after PRESSLINE_HTTP_BODY_TIMEOUT, and one client holds at most
   * PRESSLINE_HTTP_MAX_CONNECTIONS_PER_CLIENT connections; the 300 come from ten addresses so that
   * the thread pool, not only the per-client limit, is what they test.
   */
  @Test
  void threeHundredSlowBodiesAreCutOffWhileHealthAnswersOnEveryService() throws Exception {
    Http http = new Http();
    List<Socket> slow = new ArrayList<>();
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int port : new int[] {publisherPort(), pipeline.feed.httpPort(), pipeline.ingest.healthPort()}) {
        for (int i = 0; i < 300; i++) {
          Socket socket = new Socket();
          socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.1." + (10 + i % 10)), 0));
          socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
          socket.getOutputStream().write(("POST /unsubscribe?token=x HTTP/1.1\r\nHost: localhost\r\n"
              + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10240\r\n\r\nL")
              .getBytes(StandardCharsets.US_ASCII));
          slow.add(socket);
        }
      }
      trickle.scheduleWithFixedDelay(() -> slow.forEach(s -> {
        try {
          s.getOutputStream().write('x');
        } catch (IOException closed) {
          // cut off by the server, as it should be
        }
      }), 1, 2, TimeUnit.SECONDS);
      for (int port : new int[] {publisherPort(), pipeline.feed.httpPort(), pipeline.ingest.healthPort()}) {
        for (int i = 0; i < 3; i++) {
          assertThat(http.status(port, "/health")).as("health on %d with 300 slow bodies", port).isEqualTo(200);
        }
      }
      await("all 900 slow connections closed by the services").atMost(Duration.ofSeconds(90))
          .until(() -> slow.stream().allMatch(HttpAbuseTest::closedByServer));
    } finally {
      trickle.shutdownNow();
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  private static boolean closedByServer(Socket socket) {
    try {
      socket.setSoTimeout(10);
      byte[] buffer = new byte[1024];
      while (true) {
        if (socket.getInputStream().read(buffer) < 0) {
          return true;
        }
      }
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** The status, or -1 when the server refused by dropping the connection mid-upload. */
  private static int statusOrDropped(HttpRequest request) {
    try {
      return new Http().send(request).statusCode();
    } catch (java.io.UncheckedIOException e) {
      return -1;
    }
  }

  private static int rawStatus(int port, String request) {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      byte[] head = socket.getInputStream().readNBytes(12);
      String line = new String(head, StandardCharsets.US_ASCII);
      return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
    } catch (IOException e) {
      // a server may also just drop a connection it will not serve
      return 400;
    }
  }
}
