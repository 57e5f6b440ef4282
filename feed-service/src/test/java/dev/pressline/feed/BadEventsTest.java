package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rometools.rome.feed.synd.SyndEntry;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Events on the posts topic that the feed cannot publish are skipped, never fatal. */
@ExtendWith(KafkaBrokerExtension.class)
class BadEventsTest {

  private final RunningFeed client = new RunningFeed();

  @TempDir Path media;

  @Test
  void badEventsAreSkippedAndCountedAndTheFeedKeepsServingAlsoAfterARestart(KafkaBroker broker)
      throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of()));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      posts.send(Posts.post("before", "Before", now.minusSeconds(120)));
      await().atMost(Duration.ofSeconds(10)).until(() -> titles(feed).equals(List.of("Before")));

      posts.send(
          Posts.post("far-future", "Far future", Instant.parse("+999999999-12-31T00:00:00Z")));
      posts.send(Posts.post("far-past", "Far past", Instant.parse("-999999999-01-01T00:00:00Z")));
      sendRaw(kafka, "unreadable", "{not json");
      sendRaw(kafka, "no-title", "{\"slug\":\"no-title\",\"change\":\"PUBLISHED\"}");
      posts.send(Posts.post("after", "After", now.minusSeconds(60)));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> titles(feed).equals(List.of("After", "Before")));
      assertThat(client.get(feed, "/health/live").statusCode()).isEqualTo(200);
      assertThat(client.get(feed, "/metrics").body())
          .contains("feed_post_events_skipped_total{service=\"feed-service\"} 4.0");

      // and it picks up what comes later
      posts.send(Posts.post("later", "Later", now.minusSeconds(30)));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> titles(feed).equals(List.of("Later", "After", "Before")));
      assertThat(client.get(feed, "/posts/far-past").statusCode()).isEqualTo(404);
    }

    // the bad events are still on the topic when a fresh replica reads it from the start
    try (FeedService again = RunningFeed.startReady(config, Clock.systemUTC())) {
      assertThat(client.get(again, "/feed.xml").statusCode()).isEqualTo(200);
      assertThat(titles(again)).containsExactly("Later", "After", "Before");
      assertThat(client.get(again, "/health/live").statusCode()).isEqualTo(200);
    }
  }

  /** A record as another program might write it, bypassing the event's JSON form. */
  private static void sendRaw(KafkaSettings kafka, String key, String value) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            ClientProperties.producer(kafka, "feed-test-raw"),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(kafka.topics().posts(), key, value)).get();
    }
  }

  private List<String> titles(FeedService feed) throws Exception {
    var response = client.getBytes(feed, "/feed.xml");
    if (response.statusCode() != 200) {
      return List.of("(status " + response.statusCode() + ")");
    }
    return FeedServiceTest.parse(response.body()).getEntries().stream()
        .map(SyndEntry::getTitle)
        .toList();
  }
}
