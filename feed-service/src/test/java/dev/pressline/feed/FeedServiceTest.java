package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.XmlReader;
import dev.pressline.events.PostEvent;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import dev.pressline.support.testing.ManualClock;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class FeedServiceTest {

  private final RunningFeed client = new RunningFeed();

  @TempDir Path media;

  @Test
  void servesEverySeedPostNewestFirstWithTypographyIntact(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of()));
    List<String> titles = Posts.seedTitles();
    assertThat(titles).hasSize(5);
    Instant base = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      for (int i = 0; i < titles.size(); i++) {
        posts.send(Posts.post("seed-" + i, titles.get(i), base.plus(Duration.ofMinutes(i))));
      }

      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> parse(client.getBytes(feed, "/feed.xml").body()).getEntries().size() == 5);
      HttpResponse<byte[]> response = client.getBytes(feed, "/feed.xml");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/rss+xml; charset=utf-8");
      SyndFeed parsed = parse(response.body());
      List<String> expected = new ArrayList<>(titles);
      java.util.Collections.reverse(expected);
      assertThat(parsed.getEntries())
          .extracting(SyndEntry::getTitle)
          .containsExactlyElementsOf(expected);
      assertThat(parsed.getEntries())
          .extracting(SyndEntry::getTitle)
          .anySatisfy(t -> assertThat(t).contains("’"));
      SyndEntry first = parsed.getEntries().get(0);
      assertThat(first.getLink()).isEqualTo("https://news.example.org/posts/seed-4");
      assertThat(first.getContents().get(0).getValue()).contains(titles.get(4));
      assertThat(first.getUri()).startsWith("urn:uuid:");
      // seeds 000 and 001 share their title but are two posts with their own GUIDs
      assertThat(parsed.getEntries()).extracting(SyndEntry::getUri).doesNotHaveDuplicates();
    }
  }

  @Test
  void showsNewPostWithinMomentsAndDropsRetractedOne(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of()));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      PostEvent keep = Posts.post("keep", "Keep “this” one", now.minusSeconds(60));
      PostEvent drop = Posts.post("drop", "Drop this one", now.minusSeconds(30));
      posts.send(keep);
      posts.send(drop);
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> titles(feed).equals(List.of("Drop this one", "Keep “this” one")));
      assertThat(client.get(feed, "/posts/drop").statusCode()).isEqualTo(200);

      posts.send(Posts.retracted(drop, now));

      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> titles(feed).equals(List.of("Keep “this” one")));
      assertThat(client.get(feed, "/posts/drop").statusCode()).isEqualTo(404);
      assertThat(client.get(feed, "/").body())
          .contains("Keep “this” one")
          .doesNotContain("Drop this one");
    }
  }

  @Test
  void restartedServiceServesTheSameFeed(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of()));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String before;
    String etag;
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      PostEvent first = Posts.post("first", "First – “quoted”", now.minusSeconds(300));
      posts.send(first);
      posts.send(Posts.post("second", "Second…", now.minusSeconds(200)));
      posts.send(Posts.updated(first, "<p>Corrected body</p>", now.minusSeconds(100)));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> client.get(feed, "/feed.xml").body().contains("Corrected body"));
      HttpResponse<String> response = client.get(feed, "/feed.xml");
      before = response.body();
      etag = response.headers().firstValue("ETag").orElseThrow();
    }

    try (FeedService again = RunningFeed.startReady(config, Clock.systemUTC())) {
      HttpResponse<String> response = client.get(again, "/feed.xml");
      assertThat(response.body()).isEqualTo(before);
      assertThat(response.headers().firstValue("ETag")).hasValue(etag);
      assertThat(titles(again)).containsExactly("Second…", "First – “quoted”");
    }
  }

  @Test
  void scheduledPostAppearsAtItsTimeWithoutRestart(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of()));
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T09:00:00Z"));
    try (FeedService feed = RunningFeed.startReady(config, clock);
        Posts posts = new Posts(kafka)) {
      posts.send(Posts.post("now", "Out now", Instant.parse("2026-03-01T08:00:00Z")));
      posts.send(Posts.post("later", "Out at ten", Instant.parse("2026-03-01T10:00:00Z")));
      await().atMost(Duration.ofSeconds(5)).until(() -> titles(feed).equals(List.of("Out now")));
      assertThat(client.get(feed, "/posts/later").statusCode()).isEqualTo(404);

      clock.advance(Duration.ofMinutes(61));

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> titles(feed).equals(List.of("Out at ten", "Out now")));
      assertThat(client.get(feed, "/posts/later").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void healthIsUpOnlyOnceCaughtUp(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of()));
    try (FeedService feed = FeedService.start(config)) {
      assertThat(client.get(feed, "/health/live").statusCode()).as("alive while still reading").isEqualTo(200);
      // readiness only ever goes from 503 to 200: a feed served means health already says UP
      int earlyFeed = client.get(feed, "/feed.xml").statusCode();
      int laterHealth = client.get(feed, "/health").statusCode();
      assertThat(earlyFeed).isIn(200, 503);
      if (earlyFeed == 200) {
        assertThat(laterHealth).isEqualTo(200);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> client.get(feed, "/health").statusCode() == 200);
      assertThat(client.get(feed, "/health").body()).contains("\"status\":\"UP\"");
      assertThat(client.get(feed, "/health/ready").statusCode()).isEqualTo(200);
      assertThat(client.get(feed, "/health/live").body()).contains("\"status\":\"ALIVE\"");
      assertThat(client.get(feed, "/health").headers().firstValue("Content-Type"))
          .hasValue("application/json");
      // nothing published yet: no invented 1970 Last-Modified
      assertThat(client.get(feed, "/podcast.xml").headers().firstValue("Last-Modified")).isEmpty();
      String metrics = client.get(feed, "/metrics").body();
      assertThat(metrics)
          .contains("feed_ready{service=\"feed-service\"} 1.0")
          .contains("feed_posts_visible{service=\"feed-service\"} 0.0")
          .containsPattern("feed_site_builds_total\\{service=\"feed-service\"} [1-9]")
          .contains("jvm_memory_used_bytes");
    }
  }

  private List<String> titles(FeedService feed) throws Exception {
    return parse(client.getBytes(feed, "/feed.xml").body()).getEntries().stream()
        .map(SyndEntry::getTitle)
        .toList();
  }

  static SyndFeed parse(byte[] xml) throws Exception {
    return new SyndFeedInput().build(new XmlReader(new ByteArrayInputStream(xml)));
  }
}
