package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.EventJson;
import dev.pressline.events.PostEvent;
import dev.pressline.feed.build.ChannelInfo;
import dev.pressline.feed.build.FeedWriter;
import dev.pressline.feed.build.PostViews;
import dev.pressline.feed.build.SafeHtml;
import dev.pressline.feed.build.SiteUrls;
import dev.pressline.feed.catalog.Catalog;
import dev.pressline.feed.podcastindex.PodcastGuid;
import dev.pressline.feed.site.SiteBuilder;
import dev.pressline.feed.site.SiteRefresher;
import dev.pressline.feed.web.PageRenderer;
import dev.pressline.feed.websub.HubNotifier;
import dev.pressline.support.health.Liveness;
import dev.pressline.support.health.StallWatch;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicFollower;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part that is stuck, not dead, is reported by liveness: the posts follower and the site refresher
 * both blocked on the catalogue (a lock another thread holds for good) turn {@code /health/live}'s
 * answer into a reason naming them, and it clears once they move again.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StuckPartsTest {

  @TempDir Path media;

  @Test
  void aFollowerAndARefresherBlockedOnTheCatalogueAreReportedStuckThenAliveAgain(KafkaBroker broker)
      throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    new TopicSetup(kafka).ensureTopics();
    SiteUrls urls = new SiteUrls("https://news.example.org", "https://mail.example.org");
    ChannelInfo channel =
        new ChannelInfo("Heart Matters", "Advice", "Jane", "owner@example.org", "en",
            "https://news.example.org/cover.png", "Arts", false, false, null);
    UUID guid = PodcastGuid.forFeedUrl(urls.podcast());
    SiteBuilder builder =
        new SiteBuilder(new PostViews(urls, new SafeHtml(), media, guid),
            new FeedWriter(channel, urls, guid.toString(), List.of()), new PageRenderer(channel, urls), 10);
    Catalog catalog = new Catalog();
    Duration limit = Duration.ofSeconds(1);
    StallWatch refresherWatch = new StallWatch("the site refresher", Clock.systemUTC(), limit);
    StallWatch followerWatch = new StallWatch("the posts follower", Clock.systemUTC(), limit);
    try (SiteRefresher refresher =
            new SiteRefresher(catalog, builder, Clock.systemUTC(), new HubNotifier(List.of()), urls,
                Duration.ofSeconds(1), refresherWatch).start();
        TopicFollower<PostEvent> follower =
            new TopicFollower<>(kafka, kafka.topics().posts(),
                JsonSerde.deserializer(new EventJson(), PostEvent.class),
                new TopicFollower.Handler<>() {
                  @Override
                  public void onRecord(String slug, PostEvent event) {
                    catalog.apply(slug, event);
                    refresher.catalogChanged();
                  }

                  @Override
                  public void onCaughtUp() {
                    refresher.caughtUp();
                  }
                },
                followerWatch).start()) {
      Liveness liveness =
          new Liveness(List.of(
              new Liveness.Part("the posts follower", follower::isRunning, followerWatch),
              new Liveness.Part("the site refresher", refresher::isRunning, refresherWatch)));
      await().atMost(Duration.ofSeconds(30)).until(() -> refresher.current() != null);
      assertThat(liveness.problem()).isEmpty();

      synchronized (catalog) {
        send(kafka, Posts.post("stuck", "Stuck behind a lock", Instant.now().minusSeconds(60)));
        await("the follower reported stuck while it waits for the catalogue")
            .atMost(Duration.ofSeconds(30))
            .until(() -> followerWatch.stall().isPresent());
        assertThat(follower.isRunning()).as("stuck, not dead").isTrue();
        assertThat(liveness.problem())
            .hasValueSatisfying(p -> assertThat(p)
                .startsWith("the posts follower has been handling a record of " + kafka.topics().posts())
                .endsWith("; restart the service"));

        refresher.catalogChanged();
        await("the refresher reported stuck in its rebuild")
            .atMost(Duration.ofSeconds(30))
            .until(() -> refresherWatch.stall().isPresent());
        assertThat(refresherWatch.stall())
            .hasValueSatisfying(p -> assertThat(p).startsWith("the site refresher has been rebuilding the feeds and pages"));
      }

      await("alive again once the lock is free").atMost(Duration.ofSeconds(30))
          .until(() -> liveness.problem().isEmpty());
      await().atMost(Duration.ofSeconds(30))
          .until(() -> refresher.current().visibleSlugs().contains("stuck"));
    }
  }

  private static void send(KafkaSettings kafka, PostEvent event) throws Exception {
    try (KafkaProducer<String, PostEvent> producer =
        new KafkaProducer<>(ClientProperties.producer(kafka, "stuck-test"), new StringSerializer(),
            JsonSerde.serializer(new EventJson()))) {
      producer.send(new ProducerRecord<>(kafka.topics().posts(), event.slug(), event)).get();
    }
  }
}
