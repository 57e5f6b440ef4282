package dev.pressline.reliability.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.feed.FeedMain;
import dev.pressline.ingest.IngestMain;
import dev.pressline.publisher.PublisherMain;
import dev.pressline.publisher.subscribe.SubscriberWriter;
import dev.pressline.reliability.process.ChildJvm;
import dev.pressline.reliability.process.FreePort;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.testing.KafkaCluster;
import dev.pressline.support.testing.KafkaClusterExtension;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three services, each its own JVM, on a three-broker cluster with replication factor 3: a post
 * dropped while the leader of the {@code posts} partition is {@code kill -9}ed still reaches the feed
 * and the subscriber's mailbox, exactly once, and so does one dropped after the broker is back.
 */
@ExtendWith(KafkaClusterExtension.class)
class LeaderKillTest {

  private static final String READER = "reader@example.org";

  @RegisterExtension
  static final GreenMailExtension smtp =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

  private final Http http = new Http();
  private final List<ChildJvm> services = new ArrayList<>();

  @AfterEach
  void stopServices() {
    services.forEach(ChildJvm::close);
  }

  @Test
  void aPostDroppedWhileThePostsLeaderIsKilledReachesFeedAndMailbox(KafkaCluster cluster, @TempDir Path root)
      throws Exception {
    KafkaSettings kafka = cluster.freshSettings();
    new TopicSetup(kafka).ensureTopics();
    try (SubscriberWriter writer = new SubscriberWriter(kafka, "cluster-subscribers", Clock.systemUTC())) {
      writer.writeAsync(READER, SubscriberStatus.CONFIRMED, "cluster test");
      writer.flush();
    }
    Path inbox = Files.createDirectories(root.resolve("inbox"));
    int feedPort = startServices(kafka, root);

    long before = System.nanoTime();
    drop(inbox, "before", "Before the crash");
    awaitMail("Before the crash");
    long usual = System.nanoTime() - before;
    awaitFeed("Before the crash", feedPort);

    String posts = kafka.topics().posts();
    int leader = cluster.leaderOf(posts, 0);
    long killed = System.nanoTime();
    cluster.kill(leader);
    drop(inbox, "during", "While the leader was down");
    awaitMail("While the leader was down");
    long stopped = System.nanoTime() - killed;
    awaitFeed("While the leader was down", feedPort);
    int newLeader = cluster.leaderOf(posts, 0);

    cluster.restart(leader);
    cluster.awaitFullyReplicated(posts);
    drop(inbox, "after", "After the restart");
    awaitMail("After the restart");
    awaitFeed("After the restart", feedPort);

    System.out.printf("Leader kill on a 3-broker cluster: broker %d (leader of %s) killed; the post dropped "
            + "at that moment was mailed %d ms later (a post took %d ms from inbox to mailbox before the kill); "
            + "broker %d leads now%n",
        leader, posts, stopped / 1_000_000, usual / 1_000_000, newLeader);
    assertThat(newLeader).isNotEqualTo(leader);
    assertThat(subjectsTo(READER))
        .as("one mail per post, none lost, none twice")
        .containsExactlyInAnyOrder("Before the crash", "While the leader was down", "After the restart");
  }

  /** Starts feed, publisher and ingest against the cluster; returns the feed's port. */
  private int startServices(KafkaSettings kafka, Path root) {
    int feedPort = FreePort.pick();
    int publisherPort = FreePort.pick();
    int ingestPort = FreePort.pick();
    Map<String, String> common = Map.of(
        "PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "PRESSLINE_TOPIC_PREFIX", kafka.topics().prefix(),
        "PRESSLINE_DELIVERIES_PARTITIONS", Integer.toString(kafka.deliveriesPartitions()),
        "PRESSLINE_REPLICATION_FACTOR", Short.toString(kafka.replicationFactor()),
        "PRESSLINE_PUBLIC_BASE_URL", "http://localhost:" + feedPort,
        "PRESSLINE_PUBLISHER_BASE_URL", "http://localhost:" + publisherPort,
        "PRESSLINE_MEDIA_DIR", root.resolve("media").toString(),
        "PRESSLINE_STATE_DIR", root.resolve("state").toString());
    start("feed-service", FeedMain.class.getName(), feedPort, root,
        with(common, Map.of("PRESSLINE_FEED_PORT", Integer.toString(feedPort))));
    start("publisher-service", PublisherMain.class.getName(), publisherPort, root,
        with(common, Map.of(
            "PRESSLINE_PUBLISHER_PORT", Integer.toString(publisherPort),
            "PRESSLINE_SMTP_HOST", "127.0.0.1",
            "PRESSLINE_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
            "PRESSLINE_SIGNING_SECRET", "cluster-test-signing-secret-0123456789")));
    start("ingest-service", IngestMain.class.getName(), ingestPort, root,
        with(common, Map.of(
            "PRESSLINE_INGEST_PORT", Integer.toString(ingestPort),
            "PRESSLINE_INBOX_DIR", root.resolve("inbox").toString(),
            "PRESSLINE_PROCESSED_DIR", root.resolve("processed").toString(),
            "PRESSLINE_REJECTED_DIR", root.resolve("rejected").toString(),
            "PRESSLINE_INGEST_SETTLE_TIME", "100ms",
            "PRESSLINE_INGEST_POLL_INTERVAL", "50ms")));
    return feedPort;
  }

  private void start(String name, String mainClass, int port, Path root, Map<String, String> env) {
    Path log = root.resolve(name + ".log");
    ChildJvm jvm = ChildJvm.start(name, mainClass, List.of(), env, "384m", log);
    services.add(jvm);
    await(name + " healthy on port " + port + " (log: " + log + ")")
        .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!jvm.isAlive()) {
            throw new AssertionError(name + " exited; see " + log);
          }
          return http.status(port, "/health") == 200;
        });
  }

  private static Map<String, String> with(Map<String, String> common, Map<String, String> own) {
    Map<String, String> env = new HashMap<>(common);
    env.putAll(own);
    return env;
  }

  /** Writes a post beside the inbox and renames it in, so ingest sees it whole at once. */
  private static void drop(Path inbox, String name, String title) throws IOException {
    Path draft = inbox.resolveSibling(name + ".txt");
    Files.writeString(draft, title + "\n\nA post of the cluster test, about " + name + ".\n", StandardCharsets.UTF_8);
    Files.move(draft, inbox.resolve(name + ".txt"), StandardCopyOption.ATOMIC_MOVE);
  }

  private static void awaitMail(String title) {
    await("mail about '" + title + "' to " + READER).atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> subjectsTo(READER).contains(title));
  }

  private void awaitFeed(String title, int feedPort) {
    await("'" + title + "' in the feed").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> http.get(feedPort, "/feed.xml").body().contains(title));
  }

  private static List<String> subjectsTo(String address) {
    return Arrays.stream(smtp.getReceivedMessages())
        .filter(m -> isTo(m, address))
        .map(LeaderKillTest::subject)
        .toList();
  }

  private static boolean isTo(MimeMessage message, String address) {
    try {
      return Arrays.stream(message.getAllRecipients())
          .anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(address));
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
