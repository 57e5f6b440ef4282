package dev.pressline.reliability.sharedinbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.ingest.IngestMain;
import dev.pressline.ingest.claim.InboxClaims;
import dev.pressline.reliability.process.ChildJvm;
import dev.pressline.reliability.process.FreePort;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingest instances, each its own JVM, on one inbox: every file is taken by one of them and
 * published exactly once, and when one is {@code kill -9}ed while it holds claimed files, the other
 * takes them over after the lease and finishes them, still without a post published twice.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SharedInboxTest {

  private static final int FLOWING = 40;
  private static final int HELD = 12;
  private static final Duration LEASE = Duration.ofSeconds(3);
  /** A PNG's signature and header start: what the image check looks at. */
  private static final byte[] PNG =
      {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R', 0, 0, 0, 1};

  private final Http http = new Http();
  private final Map<String, ChildJvm> instances = new HashMap<>();

  @AfterEach
  void stopInstances() {
    instances.values().forEach(ChildJvm::close);
  }

  @Test
  void eachFileIsPublishedOnceAndAKilledInstancesClaimsAreFinishedByTheOther(KafkaBroker broker, @TempDir Path root)
      throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    Path inbox = Files.createDirectories(root.resolve("inbox"));
    start("ingest-a", kafka, root);
    start("ingest-b", kafka, root);

    // many files at once: both instances see every one of them complete and race to claim it
    for (int i = 0; i < FLOWING; i++) {
      drop(inbox, "flowing-" + i, "Flowing post " + i, null);
    }
    awaitProcessed(root, FLOWING);
    Map<String, Long> published = publishedPerInstance(root);
    System.out.printf("Shared inbox: %d posts taken by ingest-a %d, ingest-b %d%n", FLOWING,
        published.getOrDefault("ingest-a", 0L), published.getOrDefault("ingest-b", 0L));
    assertThat(published.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(FLOWING);

    // posts that wait for an image not there yet: each stays claimed by the instance that took it
    for (int i = 0; i < HELD; i++) {
      drop(inbox, "held-" + i, "Held post " + i, "held-" + i + ".png");
    }
    Path claims = inbox.resolve(InboxClaims.FOLDER);
    await("all " + HELD + " waiting posts claimed").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
        .until(() -> claimed(claims, "ingest-a") + claimed(claims, "ingest-b") == HELD);
    String victim = claimed(claims, "ingest-a") >= claimed(claims, "ingest-b") ? "ingest-a" : "ingest-b";
    String survivor = victim.equals("ingest-a") ? "ingest-b" : "ingest-a";
    long victimHeld = claimed(claims, victim);
    assertThat(victimHeld).isPositive();
    instances.get(victim).kill9();

    for (int i = 0; i < HELD; i++) {
      Path draft = inbox.resolveSibling("held-" + i + ".png");
      Files.write(draft, PNG);
      Files.move(draft, inbox.resolve("held-" + i + ".png"), StandardCopyOption.ATOMIC_MOVE);
    }
    awaitProcessed(root, FLOWING + HELD);
    String survivorLog = Files.readString(root.resolve(survivor + ".log"), StandardCharsets.UTF_8);
    System.out.printf("Shared inbox: %s killed holding %d claimed post(s); %s took them over%n",
        victim, victimHeld, survivor);
    assertThat(survivorLog).contains("Took over").contains("that instance " + victim + " claimed");
    assertThat(claimed(claims, victim)).isZero();

    // a dead instance that had published a post but not moved it on: the file is taken over and
    // recognised as what it is, a post already published, and not sent again
    Path publishedFile = root.resolve("processed").resolve("flowing-7.md");
    Path ghost = claims.resolve("ingest-gone").resolve(Long.toString(System.currentTimeMillis() - 2 * LEASE.toMillis()))
        .resolve("flowing-7.md");
    Files.createDirectories(ghost.getParent());
    Files.copy(publishedFile, ghost);
    await("the dead instance's published post moved on as a duplicate").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Files.readString(root.resolve(survivor + ".log"), StandardCharsets.UTF_8)
            .contains("flowing-7.md: duplicate of the post"));
    assertThat(ghost).doesNotExist();

    List<String> slugs = postsTopic(kafka);
    assertThat(slugs).as("every post published once").hasSize(FLOWING + HELD).doesNotHaveDuplicates();
    assertThat(Files.list(inbox).filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".png")))
        .as("nothing stranded in the inbox").isEmpty();
  }

  private void start(String id, KafkaSettings kafka, Path root) {
    int port = FreePort.pick();
    Map<String, String> env = Map.of(
        "PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "PRESSLINE_TOPIC_PREFIX", kafka.topics().prefix(),
        "PRESSLINE_INGEST_PORT", Integer.toString(port),
        "PRESSLINE_INBOX_DIR", root.resolve("inbox").toString(),
        "PRESSLINE_PROCESSED_DIR", root.resolve("processed").toString(),
        "PRESSLINE_REJECTED_DIR", root.resolve("rejected").toString(),
        "PRESSLINE_MEDIA_DIR", root.resolve("media").toString(),
        "PRESSLINE_INGEST_SETTLE_TIME", "100ms",
        "PRESSLINE_INGEST_INSTANCE_ID", id,
        "PRESSLINE_INGEST_CLAIM_LEASE", LEASE.toMillis() + "ms");
    Map<String, String> all = new HashMap<>(env);
    all.put("PRESSLINE_INGEST_POLL_INTERVAL", "50ms");
    Path log = root.resolve(id + ".log");
    ChildJvm jvm = ChildJvm.start(id, IngestMain.class.getName(), List.of(), all, "256m", log);
    instances.put(id, jvm);
    await(id + " healthy (log: " + log + ")").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!jvm.isAlive()) {
            throw new AssertionError(id + " exited; see " + log);
          }
          return http.status(port, "/health") == 200;
        });
  }

  /** Writes a post beside the inbox and renames it in, so both instances see it whole at once. */
  private static void drop(Path inbox, String name, String title, String image) throws IOException {
    Path draft = inbox.resolveSibling(name + ".md");
    String front = "---\ntitle: " + title + "\n" + (image == null ? "" : "image: " + image + "\n") + "---\n";
    Files.writeString(draft, front + "\nThe post called " + name + ", about sharing an inbox.\n", StandardCharsets.UTF_8);
    Files.move(draft, inbox.resolve(name + ".md"), StandardCopyOption.ATOMIC_MOVE);
  }

  private static void awaitProcessed(Path root, int posts) throws IOException {
    await(posts + " receipts in processed/").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
        .until(() -> receipts(root) >= posts);
    assertThat(receipts(root)).isEqualTo(posts);
  }

  private static long receipts(Path root) throws IOException {
    Path processed = root.resolve("processed");
    if (!Files.isDirectory(processed)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(processed)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".md.receipt.txt")).count();
    }
  }

  /** How many posts each instance's log says it published. */
  private static Map<String, Long> publishedPerInstance(Path root) throws IOException {
    Map<String, Long> counts = new HashMap<>();
    for (String id : List.of("ingest-a", "ingest-b")) {
      try (Stream<String> lines = Files.lines(root.resolve(id + ".log"))) {
        counts.put(id, lines.filter(l -> l.contains(": published as ‘")).count());
      }
    }
    return counts;
  }

  private static long claimed(Path claims, String id) throws IOException {
    Path own = claims.resolve(id);
    if (!Files.isDirectory(own)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(own)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  /** The keys (slugs) of every record on the posts topic, read to its end. */
  private static List<String> postsTopic(KafkaSettings kafka) {
    List<String> slugs = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
        ClientProperties.reader(kafka, "shared-inbox-check"), new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(kafka.topics().posts(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          slugs.add(record.key());
        }
      }
    }
    return slugs.stream().collect(Collectors.toList());
  }
}
