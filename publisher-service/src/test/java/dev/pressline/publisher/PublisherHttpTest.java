package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import jakarta.mail.internet.MimeMessage;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The publisher's HTTP surface under abuse: slow clients, bad input, link scanners, races, proxies. */
@ExtendWith(KafkaBrokerExtension.class)
class PublisherHttpTest {

  @RegisterExtension
  final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path state;

  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void slowRequestBodiesNeitherStarveHealthNorStayOpen(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state)) {
      pipeline.set("PRESSLINE_HTTP_BODY_TIMEOUT", "20s").set("PRESSLINE_HTTP_MAX_CONNECTIONS_PER_CLIENT", "30");
      ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
      List<Socket> slow = new ArrayList<>();
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        int port = publisher.httpPort();
        // 300 clients on ten addresses, each declaring a 10 KB form and sending a byte now and then
        // (unsubscribe: no rate limit answers before the body is read)
        for (int client = 2; client < 12; client++) {
          for (int i = 0; i < 30; i++) {
            Socket socket = RawHttp.connect("127.0.0." + client, port);
            RawHttp.write(socket, "POST /unsubscribe?token=x HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10240\r\n\r\ne");
            slow.add(socket);
          }
        }
        trickle.scheduleWithFixedDelay(() -> slow.forEach(s -> {
          try {
            s.getOutputStream().write('m');
          } catch (Exception closed) {
            // the server hung up: what it should do
          }
        }), 1, 1, TimeUnit.SECONDS);

        // a client already holding its allowance of connections gets no more; the slow bodies are
        // still within their timeout here, so the allowance is what closes these
        List<Socket> extra = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          extra.add(RawHttp.connect("127.0.0.2", port));
        }
        await("connections beyond the per-client limit closed").atMost(Duration.ofSeconds(10))
            .until(() -> extra.stream().allMatch(RawHttp::closedByServer));
        assertThat(slow.subList(0, 30)).as("127.0.0.2's slow bodies, still within their timeout")
            .noneMatch(RawHttp::closedByServer);
        extra.forEach(PublisherHttpTest::close);
        for (int i = 0; i < 5; i++) {
          HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
              .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(health.statusCode()).as("health with 300 slow bodies in flight").isEqualTo(200);
        }
        await("every slow body cut off").atMost(Duration.ofSeconds(60))
            .until(() -> slow.stream().allMatch(RawHttp::closedByServer));
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      } finally {
        trickle.shutdownNow();
        slow.forEach(PublisherHttpTest::close);
      }
    }
  }

  @Test
  void badInputGetsA400InPlainWordsAndNothingSaysWhatRunsInside(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      int port = publisher.httpPort();
      String malformedForm;
      String malformedJson;
      try (LogLines log = LogLines.capture()) {
        malformedForm = RawHttp.exchange("127.0.0.1", port, "POST /unsubscribe?token=x HTTP/1.1\r\n"
            + "Host: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n"
            + "Connection: close\r\n\r\n%zz=%%%\u00ff");
        malformedJson = RawHttp.exchange("127.0.0.1", port, "POST /subscribe HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"email\":\"a");
        // one line each, no stack trace, nothing at WARN or above from us or from Jetty
        assertThat(log.from("dev.pressline.publisher.http")).hasSize(2)
            .allSatisfy(e -> assertThat(e.getThrown()).isNull())
            .allSatisfy(e -> assertThat(e.getLevel().isMoreSpecificThan(org.apache.logging.log4j.Level.WARN)).isFalse());
        assertThat(log.from("org.eclipse.jetty"))
            .noneMatch(e -> e.getLevel().isMoreSpecificThan(org.apache.logging.log4j.Level.WARN));
      }
      assertThat(RawHttp.status(malformedForm)).as(malformedForm).isEqualTo(400);
      assertThat(malformedForm).contains("The form data is not valid");
      assertThat(RawHttp.status(malformedJson)).as(malformedJson).isEqualTo(400);
      assertThat(malformedJson).contains("not valid JSON");
      String hugeHeader = RawHttp.exchange("127.0.0.1", port, "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: "
          + "c".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
      assertThat(RawHttp.status(hugeHeader)).isEqualTo(431);
      String health = RawHttp.exchange("127.0.0.1", port, "GET /health HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n\r\n");
      for (String response : List.of(malformedForm, malformedJson, hugeHeader, health)) {
        assertThat(response.toLowerCase()).doesNotContain("\r\nserver:").doesNotContain("jetty")
            .doesNotContain("exception").doesNotContain("jackson").doesNotContain("at org.").doesNotContain("caused by");
      }
      assertThat(RawHttp.status(health)).isEqualTo(200);
    }
  }

  @Test
  void aConfirmationLinkOpenedOnlyShowsAButtonAndThePostConfirms(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      String base = "http://localhost:" + publisher.httpPort();
      assertThat(post(base + "/subscribe", "application/x-www-form-urlencoded", "email=scanned%40example.com")
          .statusCode()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 1);
      String link = confirmLink(mail.getReceivedMessages()[0]).replace("http://localhost:8081", base);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> publisher.subscriberStatus("scanned@example.com") == SubscriberStatus.PENDING);

      // what a mail scanner does: open every link, twice
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> page = get(link);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\"").contains("Confirm");
      }
      assertThat(publisher.subscriberStatus("scanned@example.com")).as("after GETs only")
          .isEqualTo(SubscriberStatus.PENDING);
      assertThat(get(base + "/confirm?token=forged").statusCode()).as("a forged link's page").isEqualTo(400);

      HttpResponse<String> confirmed = post(link, "application/x-www-form-urlencoded", "");
      assertThat(confirmed.statusCode()).isEqualTo(200);
      assertThat(confirmed.body()).contains("You are subscribed");
      assertThat(publisher.subscriberStatus("scanned@example.com")).isEqualTo(SubscriberStatus.CONFIRMED);
    }
  }

  @Test
  void concurrentSubscribesForOneAddressSendOneConfirmation(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      String base = "http://localhost:" + publisher.httpPort();
      ExecutorService clients = Executors.newFixedThreadPool(8);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          answers.add(clients.submit(() -> {
            go.await();
            return post(base + "/subscribe", "application/json", "{\"email\":\"twice@example.com\"}").statusCode();
          }));
        }
        go.countDown();
        for (Future<Integer> answer : answers) {
          assertThat(answer.get()).isEqualTo(202);
        }
      } finally {
        clients.shutdownNow();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length >= 1);
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> mail.getReceivedMessages().length == 1);
    }
  }

  @Test
  void forwardedForCountsOnlyWhenATrustedProxySendsIt(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state)) {
      pipeline.set("PRESSLINE_PUBLISHER_SUBSCRIBE_LIMIT_PER_MINUTE", "2")
          .set("PRESSLINE_HTTP_TRUSTED_PROXIES", "127.0.0.9");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        int port = publisher.httpPort();
        // a direct client cannot buy itself new allowances by naming other addresses
        List<Integer> direct = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          direct.add(subscribeVia("127.0.0.3", port, "203.0.113." + i, "d" + i + "@example.com"));
        }
        assertThat(direct).containsExactly(202, 202, 429);
        // behind the trusted proxy each client has its own allowance, and the proxy is not one client
        List<Integer> proxied = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          proxied.add(subscribeVia("127.0.0.9", port, "198.51.100." + i, "p" + i + "@example.com"));
        }
        assertThat(proxied).containsExactly(202, 202, 202);
        List<Integer> oneBehindProxy = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          oneBehindProxy.add(subscribeVia("127.0.0.9", port, "198.51.100.0", "q" + i + "@example.com"));
        }
        assertThat(oneBehindProxy).as("198.51.100.0's third and fourth request").containsExactly(202, 429);
      }
    }
  }

  @Test
  void refusesAddressesThatHideCharactersOrCannotGoIntoAHeader(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state)) {
      pipeline.set("PRESSLINE_PUBLISHER_SUBSCRIBE_LIMIT_PER_MINUTE", "100");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        String base = "http://localhost:" + publisher.httpPort();
        for (String bad : List.of("ann\u2028@example.com", "\u202Emoc.elpmaxe@nna", "a\u200Bnn@example.com",
            "ann\u00A0@example.com", "=?utf-8?q?ann?=@example.com", "x".repeat(100) + "@example.com",
            "j\u00F6rg@example.com", "ann@ex\u00E4mple.com")) {
          HttpResponse<String> answer = post(base + "/subscribe", "application/x-www-form-urlencoded",
              "email=" + URLEncoder.encode(bad, StandardCharsets.UTF_8));
          assertThat(answer.statusCode()).as(bad).isEqualTo(400);
          assertThat(answer.body()).as(bad).contains("email address");
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
            .until(() -> mail.getReceivedMessages().length == 0);
      }
    }
  }

  private static int subscribeVia(String from, int port, String forwardedFor, String email) {
    String body = "{\"email\":\"" + email + "\"}";
    return RawHttp.status(RawHttp.exchange(from, port, "POST /subscribe HTTP/1.1\r\nHost: localhost\r\n"
        + "X-Forwarded-For: " + forwardedFor + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length() + "\r\nConnection: close\r\n\r\n" + body));
  }

  private static String confirmLink(MimeMessage message) throws Exception {
    Matcher m = Pattern.compile("http://[^\\s]+?/confirm\\?token=[^\\s]+")
        .matcher(PublisherDeliveryTest.part(message, "text/plain"));
    assertThat(m.find()).isTrue();
    return m.group();
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (Exception e) {
      // already gone
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String type, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
