package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each feed instance commits, under a group of its own that it never joins, the position of the posts
 * topic its served site includes: the standard tools (and the console) then show its lag.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FeedProgressTest {

  private final RunningFeed client = new RunningFeed();

  @TempDir Path media;

  @Test
  void everyInstanceCommitsThePositionItsSiteIncludesUnderItsOwnGroup(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig one = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of(FeedConfig.INSTANCE_ID, "one")));
    FeedConfig two = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of(FeedConfig.INSTANCE_ID, "two")));
    assertThat(one.progressGroup()).isEqualTo(kafka.topics().prefix() + "feed-one");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    new TopicSetup(kafka).ensureTopics();
    try (Admin admin = admin(kafka);
        Posts posts = new Posts(kafka)) {
      // posts written before the feeds start are read at start, the later ones as they come
      posts.send(Posts.post("before", "Written before the start", now.minus(Duration.ofHours(1))));
      try (FeedService first = RunningFeed.startReady(one, Clock.systemUTC());
          FeedService second = RunningFeed.startReady(two, Clock.systemUTC())) {
        await("the first feed's group reaches the end of the topic").atMost(Duration.ofSeconds(20))
            .until(() -> lag(admin, kafka, one.progressGroup()) == 0);
        posts.send(Posts.post("later", "Written while it runs", now.minus(Duration.ofMinutes(5))));
        // a post for next week changes no page now: its position counts as applied all the same
        posts.send(Posts.post("next-week", "Not yet", now.plus(Duration.ofDays(7))));
        for (String group : new String[] {one.progressGroup(), two.progressGroup()}) {
          await(group + " reaches the end after the new posts").atMost(Duration.ofSeconds(20))
              .until(() -> lag(admin, kafka, group) == 0);
        }
        assertThat(committed(admin, one.progressGroup()).values().stream().mapToLong(Long::longValue).sum())
            .as("three records applied").isEqualTo(3);
        for (FeedService feed : new FeedService[] {first, second}) {
          assertThat(client.get(feed, "/feed.xml").body()).as("what was committed is served")
              .contains("Written while it runs").doesNotContain("Not yet");
        }
      }
    }
  }

  private static Admin admin(KafkaSettings kafka) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return Admin.create(props);
  }

  private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS).entrySet()) {
      if (e.getValue() != null) {
        offsets.put(e.getKey(), e.getValue().offset());
      }
    }
    return offsets;
  }

  /** Records of the posts topic the group has not committed; -1 while it has committed nothing. */
  private static long lag(Admin admin, KafkaSettings kafka, String group) throws Exception {
    Map<TopicPartition, Long> committed = committed(admin, group);
    if (committed.isEmpty()) {
      return -1;
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
    long behind = 0;
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end
        : admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
      assertThat(end.getKey().topic()).isEqualTo(kafka.topics().posts());
      behind += end.getValue().offset() - committed.get(end.getKey());
    }
    return behind;
  }
}
