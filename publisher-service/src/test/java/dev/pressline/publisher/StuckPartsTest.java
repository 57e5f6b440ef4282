package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.EventJson;
import dev.pressline.events.PostEvent;
import dev.pressline.publisher.catalogue.PostCatalogue;
import dev.pressline.support.health.Liveness;
import dev.pressline.support.health.StallWatch;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicFollower;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part that is stuck, not dead, is reported by liveness: the mailer held by an SMTP server that
 * stops answering (well within the SMTP timeout, so nothing gives up), and the posts follower whose
 * handler waits for a lock the test holds. Each turns liveness into a reason naming the part while
 * its thread is alive, and each is alive again once it moves.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StuckPartsTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path state;

  @Test
  void aMailerWhoseSmtpServerStopsAnsweringIsReportedStuckThenAliveAgain(KafkaBroker broker) throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    // the server takes the connection, greets, and then says nothing at RCPT TO until the test lets it
    Function<String, String> silentAtRcpt = address -> {
      try {
        answer.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "250 2.1.5 OK";
    };
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(silentAtRcpt);
        TestPipeline pipeline = new TestPipeline(broker.freshSettings(), smtp.port(), state)
            .set("PRESSLINE_STALL_LIMIT", "1s")
            .set("PRESSLINE_SMTP_TIMEOUT", "120s");
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      publisher.addConfirmedSubscriber("reader@example.com", "test");
      assertThat(get(publisher, "/health/live").statusCode()).isEqualTo(200);
      try {
        PostEvent post = SeedPosts.fromSeed("000_", "held");
        pipeline.publish(post);

        await("the mailer reported stuck while the SMTP server says nothing")
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> {
              HttpResponse<String> live = get(publisher, "/health/live");
              assertThat(live.statusCode()).isEqualTo(503);
              assertThat(live.body())
                  .contains("\"status\":\"STOPPED\"")
                  .contains("\"reason\":\"the mailer's SMTP work has been sending mail to the SMTP server for ")
                  .contains("without progress (limit 1 s); restart the service")
                  .as("stuck, not dead")
                  .contains("\"mailerRunning\":true");
            });
        assertThat(smtp.rcptAttempts).containsExactly("reader@example.com");
        assertThat(smtp.acceptedFor("reader@example.com")).isZero();
      } finally {
        answer.countDown();
      }

      await("the held mail goes through").atMost(Duration.ofSeconds(60))
          .until(() -> smtp.acceptedFor("reader@example.com") == 1);
      await("alive again").atMost(Duration.ofSeconds(30))
          .until(() -> get(publisher, "/health/live").statusCode() == 200);
      assertThat(get(publisher, "/health/live").body()).contains("\"status\":\"ALIVE\"").doesNotContain("reason");
    }
  }

  @Test
  void aPostsFollowerWhoseHandlerIsBlockedIsReportedStuckThenAliveAgain(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    PostCatalogue catalogue = new PostCatalogue();
    Object held = new Object();
    // wired as PublisherService wires it: the catalogue as handler, a watch under the part's name
    StallWatch watch = new StallWatch("the posts follower", Clock.systemUTC(), Duration.ofSeconds(1));
    try (TestPipeline pipeline = new TestPipeline(kafka, 25, state);
        TopicFollower<PostEvent> follower =
            new TopicFollower<>(kafka, kafka.topics().posts(),
                JsonSerde.deserializer(new EventJson(), PostEvent.class),
                (slug, post) -> {
                  synchronized (held) {
                    catalogue.onRecord(slug, post);
                  }
                },
                watch).start()) {
      Liveness liveness = new Liveness(List.of(new Liveness.Part("the posts follower", follower::isRunning, watch)));
      assertThat(follower.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
      assertThat(liveness.problem()).isEmpty();

      PostEvent post = SeedPosts.fromSeed("000_", "blocked");
      synchronized (held) {
        pipeline.publish(post);
        await("the follower reported stuck while it waits for the lock")
            .atMost(Duration.ofSeconds(30))
            .until(() -> liveness.problem().isPresent());
        assertThat(follower.isRunning()).as("stuck, not dead").isTrue();
        assertThat(liveness.problem())
            .hasValueSatisfying(p -> assertThat(p)
                .startsWith("the posts follower has been handling a record of " + kafka.topics().posts())
                .endsWith("; restart the service"));
        assertThat(catalogue.get(post.slug())).isEmpty();
      }

      await("alive again once the lock is free").atMost(Duration.ofSeconds(30))
          .until(() -> liveness.problem().isEmpty());
      assertThat(catalogue.get(post.slug())).isPresent();
    }
  }

  private static HttpResponse<String> get(PublisherService publisher, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + publisher.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
