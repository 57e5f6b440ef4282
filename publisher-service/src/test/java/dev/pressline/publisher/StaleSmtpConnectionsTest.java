package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.PostEvent;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP connections that the server ends: closed after sitting idle, as every real server does after
 * a while, or dropped in the middle of a conversation before the message's end. Neither can have
 * delivered the message, so it goes out on a new connection at once, with no retry wait and no doubt.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StaleSmtpConnectionsTest {

  private static final Duration SERVER_IDLE_TIMEOUT = Duration.ofMillis(700);

  @TempDir Path state;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void newslettersOnConnectionsTheServerClosedWhileIdleGoOutOnceWithoutDoubt(KafkaBroker broker) throws Exception {
    List<String> readers = List.of("ann@example.com", "bob@example.com", "cy@example.com");
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(address -> "250 2.1.5 OK", address -> false,
            command -> false, SERVER_IDLE_TIMEOUT);
        TestPipeline pipeline = new TestPipeline(broker.freshSettings(), smtp.port(), state)) {
      pipeline.set("PRESSLINE_SMTP_CONCURRENCY", "2");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        readers.forEach(r -> publisher.addConfirmedSubscriber(r, "test"));
        PostEvent first = SeedPosts.fromSeed("000_", "first");
        pipeline.publish(first);
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(first.slug()).sent() == readers.size());
        // the connections the first post used are closed by the server while they sit idle
        await().atMost(Duration.ofSeconds(10)).until(() -> smtp.closedWhileIdle.get() >= 1);

        PostEvent second = SeedPosts.fromSeed("002_", "second");
        pipeline.publish(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(second.slug()).sent() == readers.size());

        for (String reader : readers) {
          assertThat(smtp.acceptedFor(reader)).as(reader + ": each post once").isEqualTo(2);
        }
        assertThat(publisher.report(second.slug()).possibleDuplicates()).as("nothing in doubt").isEmpty();
        String metrics = metrics(publisher);
        assertThat(metrics).as("no retry wait: sent again on a new connection at once")
            .contains("pressline_publisher_smtp_retries_total{service=\"publisher\"} 0.0")
            .contains("pressline_publisher_possible_duplicates_total{service=\"publisher\"} 0.0");
      }
    }
  }

  @Test
  void aConnectionIdleForLongerThanTheIdleCheckIsCheckedWithNoopBeforeItCarriesMail(KafkaBroker broker)
      throws Exception {
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(address -> "250 2.1.5 OK");
        TestPipeline pipeline = new TestPipeline(broker.freshSettings(), smtp.port(), state)) {
      pipeline.set("PRESSLINE_SMTP_CONCURRENCY", "1").set("PRESSLINE_SMTP_IDLE_CHECK", "200ms");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        publisher.addConfirmedSubscriber("ann@example.com", "test");
        PostEvent first = SeedPosts.fromSeed("000_", "first");
        pipeline.publish(first);
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(first.slug()).sent() == 1);
        assertThat(smtp.noops.get()).as("a connection in use is not checked").isZero();

        // the connection now sits idle for longer than the check interval
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> true);
        PostEvent second = SeedPosts.fromSeed("002_", "second");
        pipeline.publish(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(second.slug()).sent() == 1);

        assertThat(smtp.noops.get()).isEqualTo(1);
        assertThat(smtp.acceptedFor("ann@example.com")).isEqualTo(2);
      }
    }
  }

  @Test
  void connectionsDroppedAtMailFromRcptOrDataAreReconnectedAndSentWithoutDoubt(KafkaBroker broker) throws Exception {
    // one connection, messages one after the other: the 1st MAIL FROM, the 2nd RCPT TO and the 3rd
    // DATA the server sees are each the first try of a different message
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    Predicate<String> dropAt = command -> {
      String verb = command.startsWith("MAIL FROM") ? "MAIL" : command.startsWith("RCPT TO") ? "RCPT"
          : command.equals("DATA") ? "DATA" : null;
      if (verb == null) {
        return false;
      }
      int n = seen.computeIfAbsent(verb, v -> new AtomicInteger()).incrementAndGet();
      return verb.equals("MAIL") && n == 1 || verb.equals("RCPT") && n == 2 || verb.equals("DATA") && n == 3;
    };
    List<String> readers = List.of("ann@example.com", "bob@example.com", "cy@example.com", "dee@example.com");
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(address -> "250 2.1.5 OK", address -> false, dropAt, null);
        TestPipeline pipeline = new TestPipeline(broker.freshSettings(), smtp.port(), state)) {
      pipeline.set("PRESSLINE_SMTP_CONCURRENCY", "1").set("PRESSLINE_SMTP_WORKERS_PER_CONNECTION", "1");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        readers.forEach(r -> publisher.addConfirmedSubscriber(r, "test"));
        PostEvent post = SeedPosts.fromSeed("001_", "dropped");
        pipeline.publish(post);
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(post.slug()).sent() == readers.size());

        assertThat(smtp.hungUpAtCommand.get()).as("dropped at MAIL FROM, RCPT TO and DATA").isEqualTo(3);
        for (String reader : readers) {
          assertThat(smtp.acceptedFor(reader)).as(reader).isEqualTo(1);
        }
        assertThat(publisher.report(post.slug()).possibleDuplicates()).as("nothing in doubt").isEmpty();
        assertThat(metrics(publisher))
            .contains("pressline_publisher_smtp_retries_total{service=\"publisher\"} 0.0")
            .contains("pressline_publisher_possible_duplicates_total{service=\"publisher\"} 0.0");
      }
    }
  }

  @Test
  void aConfirmationMailOnAConnectionTheServerClosedWhileIdleStillArrives(KafkaBroker broker) throws Exception {
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(address -> "250 2.1.5 OK", address -> false,
            command -> false, SERVER_IDLE_TIMEOUT);
        TestPipeline pipeline = new TestPipeline(broker.freshSettings(), smtp.port(), state);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      assertThat(subscribe(publisher, "first@example.com")).isEqualTo(202);
      await().atMost(Duration.ofSeconds(20)).until(() -> smtp.acceptedFor("first@example.com") == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> smtp.closedWhileIdle.get() >= 1);

      assertThat(subscribe(publisher, "second@example.com")).isEqualTo(202);

      await().atMost(Duration.ofSeconds(20)).until(() -> smtp.acceptedFor("second@example.com") == 1);
    }
  }

  @Test
  void aConfirmationMailIsRetriedAndOneThatFinallyFailedDoesNotBlockSubscribingAgain(KafkaBroker broker)
      throws Exception {
    AtomicBoolean accepting = new AtomicBoolean(false);
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(address -> accepting.get() || !address.startsWith("late")
            ? "250 2.1.5 OK" : "451 4.3.0 try again later");
        TestPipeline pipeline = new TestPipeline(broker.freshSettings(), smtp.port(), state)) {
      pipeline.set("PRESSLINE_SMTP_MAX_ATTEMPTS", "3").set("PRESSLINE_SMTP_RETRY_BACKOFF", "100ms")
          .set("PRESSLINE_PUBLISHER_SUBSCRIBE_LIMIT_PER_MINUTE", "1000");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        assertThat(subscribe(publisher, "late@example.com")).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20))
            .until(() -> smtp.rcptAttempts.stream().filter("late@example.com"::equals).count() == 3);
        assertThat(smtp.acceptedFor("late@example.com")).isZero();

        accepting.set(true);
        // asked again within the ten minutes in which a confirmation mail is not sent twice: the
        // first never arrived, so this request sends one (asked until the failure is on record)
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
          subscribe(publisher, "late@example.com");
          return smtp.acceptedFor("late@example.com") > 0;
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
            .until(() -> smtp.acceptedFor("late@example.com") == 1);
      }
    }
  }

  private int subscribe(PublisherService publisher, String email) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + publisher.httpPort() + "/subscribe"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)))
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private String metrics(PublisherService publisher) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + publisher.httpPort() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
