package dev.pressline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.EventJson;
import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.IngestService;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of generated hostile files dropped into the inbox of a real ingest-service on a real
 * broker: the service keeps running, every file ends in processed/ (with a receipt) or rejected/
 * (with a reason), and every event it published has a safe title and inert HTML.
 */
@ExtendWith(KafkaBrokerExtension.class)
class HostileInboxTest {

  private static final int FILES = Integer.getInteger("pressline.hostile.files", 300);
  private static final int MEDIA_FILES = Integer.getInteger("pressline.hostile.audio", 100);

  @Test
  void hostileFilesAreEachRejectedWithAReasonOrIngestedSafelyAndTheServiceKeepsRunning(KafkaBroker broker,
      @TempDir Path root) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    Path inbox = Files.createDirectories(root.resolve("inbox"));
    Path processed = root.resolve("processed");
    Path rejected = root.resolve("rejected");
    Map<String, String> values = new HashMap<>();
    values.put(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers());
    values.put(KafkaSettings.TOPIC_PREFIX, kafka.topics().prefix());
    values.put(IngestConfig.INBOX_DIR, inbox.toString());
    values.put(IngestConfig.PROCESSED_DIR, processed.toString());
    values.put(IngestConfig.REJECTED_DIR, rejected.toString());
    values.put(IngestConfig.MEDIA_DIR, root.resolve("media").toString());
    values.put(IngestConfig.PORT, "0");
    values.put(IngestConfig.SETTLE_TIME, "50ms");
    values.put(IngestConfig.POLL_INTERVAL, "50ms");
    values.put(IngestConfig.MEDIA_GRACE, "1s");
    // every other setting as users get it: the default post size limit and parse time limit
    Settings settings = Settings.of(values);
    long seed = Long.getLong("pressline.hostile.seed", System.nanoTime());
    List<HostileFile> files = new HostileFiles(seed).stream().limit(FILES).toList();
    Map<String, Integer> kinds = new TreeMap<>();
    Http http = new Http();

    try (IngestService ingest = IngestService.start(IngestConfig.from(settings))) {
      assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();
      List<String> dropped = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        HostileFile file = files.get(i);
        // the number keeps names apart and stops a generated ".." prefix from making a hidden file
        String name = String.format(Locale.ROOT, "%04d-", i) + file.name();
        Path temp = inbox.resolve(String.format(Locale.ROOT, "%04d.part", i));
        Files.write(temp, file.bytes());
        Files.move(temp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        dropped.add(name);
        kinds.merge(file.kind(), 1, Integer::sum);
      }

      try {
        await("every hostile file leaves the inbox").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
            .until(() -> names(inbox).isEmpty());
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("files stranded in the inbox: " + names(inbox).stream()
            .map(n -> n.replaceAll("\\p{Cntrl}", "?") + " (" + size(inbox.resolve(n)) + " bytes)").toList(), e);
      }
      assertThat(http.status(ingest.healthPort(), "/health")).as("ingest still healthy").isEqualTo(200);

      List<String> taken = names(processed).stream().filter(n -> !n.endsWith(".receipt.txt")).toList();
      List<String> refused = names(rejected).stream().filter(n -> !n.endsWith(".reason.txt")).toList();
      assertThat(taken.size() + refused.size()).as("files in processed/ and rejected/").isEqualTo(dropped.size());
      for (String name : refused) {
        Path reason = rejected.resolve(name + ".reason.txt");
        assertThat(reason).as("reason beside %s", name).exists();
        assertThat(Files.readString(reason)).as("reason for %s", name).isNotBlank();
      }
      for (String name : taken) {
        assertThat(processed.resolve(name + ".receipt.txt")).as("receipt beside %s", name).exists();
      }

      List<PostEvent> events = events(kafka);
      for (PostEvent event : events) {
        SafeOutput.assertSafeTitle(event.title());
        SafeOutput.assertInertHtml(event.html());
        assertThat(event.slug()).as("slug of %s", event.title()).matches("[a-z0-9]+(-[a-z0-9]+)*");
        assertThat(event.author().chars().filter(c -> c == '\r' || c == '\n')).as("line breaks in the author").isEmpty();
      }
      System.out.printf(Locale.ROOT, "%nHostile inbox (seed %d): %d files (%s): %d taken, %d rejected with a reason, "
          + "%d events published, service healthy throughout%n", seed, dropped.size(),
          kinds.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
          taken.size(), refused.size(), events.size());
    }
  }

  /**
   * Was a bug: a post under {@code PRESSLINE_MAX_POST_BYTES} (5 MiB by default) whose event exceeds
   * the producer's 1 MiB {@code max.request.size} gets {@code RecordTooLargeException}, which the
   * inbox treats as "Kafka unavailable" and retries for ever: the file is never published nor rejected.
   */
  @Test
  void aPostWhoseEventIsTooLargeForKafkaIsRejectedNotStranded(KafkaBroker broker, @TempDir Path root) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    Path inbox = Files.createDirectories(root.resolve("inbox"));
    try (IngestService ingest = IngestService.start(IngestConfig.from(ingestSettings(kafka, root, inbox)))) {
      assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();
      // 1.2 MB of text, well under the 5 MiB post limit; as HTML and text in one event about 4 MB
      Path temp = inbox.resolve("big.part");
      Files.writeString(temp, "A big post\n\n" + "<b>".repeat(400_000) + "\n");
      Files.move(temp, inbox.resolve("big.txt"), StandardCopyOption.ATOMIC_MOVE);
      await("the big post leaves the inbox").atMost(Duration.ofSeconds(60)).until(() -> names(inbox).isEmpty());
      assertThat(root.resolve("rejected").resolve("big.txt.reason.txt")).exists();
    }
  }

  /**
   * Was a bug: a post that overflows the parser's stack (about 20,000 nested list items) throws a
   * {@code StackOverflowError} that nothing catches; ingest's inbox thread dies and no later file is
   * taken, while the process keeps running.
   */
  @Test
  void aPostThatOverflowsTheParserDoesNotStopTheInbox(KafkaBroker broker, @TempDir Path root) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    Path inbox = Files.createDirectories(root.resolve("inbox"));
    try (IngestService ingest = IngestService.start(IngestConfig.from(ingestSettings(kafka, root, inbox)))) {
      assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();
      Files.writeString(inbox.resolve("deep.part"), "# Nested\n\n" + "- ".repeat(20_000) + "deep\n");
      Files.move(inbox.resolve("deep.part"), inbox.resolve("deep.md"), StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(inbox.resolve("next.part"), "The next post\n\nIt must still be taken.\n");
      Files.move(inbox.resolve("next.part"), inbox.resolve("next.txt"), StandardCopyOption.ATOMIC_MOVE);
      await("both files dealt with").dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60))
          .until(() -> names(inbox).isEmpty());
      assertThat(root.resolve("processed").resolve("next.txt")).exists();
    }
  }

  /**
   * Generated broken and lying audio files ({@link HostileMedia}), each beside a post of its own:
   * every post is published with sane audio metadata or rejected, with its audio, for a reason; the
   * inbox empties and the service stays healthy. Was a bug (issue 10 #3): an M4A with a 64-bit box
   * size threw out of the probe and the post was retried for ever, holding up every newer one.
   */
  @Test
  void postsWithHostileAudioAreEachPublishedWithSaneAudioOrRejectedWithAReason(KafkaBroker broker, @TempDir Path root)
      throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    Path inbox = Files.createDirectories(root.resolve("inbox"));
    Path rejected = root.resolve("rejected");
    Map<String, String> values = new HashMap<>(Map.of(
        KafkaSettings.BOOTSTRAP, kafka.bootstrapServers(),
        KafkaSettings.TOPIC_PREFIX, kafka.topics().prefix(),
        IngestConfig.INBOX_DIR, inbox.toString(),
        IngestConfig.PROCESSED_DIR, root.resolve("processed").toString(),
        IngestConfig.REJECTED_DIR, rejected.toString(),
        IngestConfig.MEDIA_DIR, root.resolve("media").toString(),
        IngestConfig.PORT, "0",
        IngestConfig.SETTLE_TIME, "50ms",
        IngestConfig.POLL_INTERVAL, "50ms"));
    values.put(IngestConfig.ORPHAN_MEDIA_WAIT, "1s");
    long seed = Long.getLong("pressline.hostile.seed", System.nanoTime());
    List<HostileFile> audio = new HostileMedia(seed).stream().limit(MEDIA_FILES).toList();
    try (IngestService ingest = IngestService.start(IngestConfig.from(Settings.of(values)))) {
      assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();
      for (int i = 0; i < audio.size(); i++) {
        HostileFile file = audio.get(i);
        String base = String.format(Locale.ROOT, "episode-%04d", i);
        String extension = file.name().substring(file.name().lastIndexOf('.'));
        Files.write(inbox.resolve(base + ".part"), file.bytes());
        Files.move(inbox.resolve(base + ".part"), inbox.resolve(base + extension), StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(inbox.resolve(base + ".txt.part"), "Episode " + i + "\n\nShow notes of episode " + i + ".\n");
        Files.move(inbox.resolve(base + ".txt.part"), inbox.resolve(base + ".txt"), StandardCopyOption.ATOMIC_MOVE);
      }

      try {
        await("every post and its audio leave the inbox").atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(250)).until(() -> names(inbox).isEmpty());
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("files stranded in the inbox (seed " + seed + "): " + names(inbox), e);
      }
      assertThat(new Http().status(ingest.healthPort(), "/health")).as("ingest still healthy").isEqualTo(200);

      List<PostEvent> events = events(kafka);
      List<String> refused = names(rejected).stream()
          .filter(n -> n.endsWith(".txt") && !n.endsWith(".reason.txt")).toList();
      assertThat(events.size() + refused.size()).as("posts published or rejected (seed %d)", seed)
          .isEqualTo(audio.size());
      for (String name : refused) {
        assertThat(Files.readString(rejected.resolve(name + ".reason.txt"))).as("reason for %s", name).isNotBlank();
      }
      for (PostEvent event : events) {
        assertThat(event.audio()).as("audio of %s (seed %d)", event.title(), seed).isNotNull();
        assertThat(event.audio().mimeType()).isIn("audio/mpeg", "audio/mp4");
        assertThat(event.audio().durationSeconds()).as("duration of %s (seed %d)", event.title(), seed)
            .isBetween(0L, 7L * 24 * 3600).isLessThanOrEqualTo(event.audio().byteSize() / 100);
      }
      System.out.printf(Locale.ROOT, "%nHostile audio in the inbox (seed %d): %d posts with broken or lying audio: "
          + "%d published with sane audio, %d rejected with a reason%n", seed, audio.size(), events.size(),
          refused.size());
    }
  }

  /** An ingest-service on the test broker with its folders under {@code root}. */
  private static Settings ingestSettings(KafkaSettings kafka, Path root, Path inbox) {
    return Settings.of(Map.of(
        KafkaSettings.BOOTSTRAP, kafka.bootstrapServers(),
        KafkaSettings.TOPIC_PREFIX, kafka.topics().prefix(),
        IngestConfig.INBOX_DIR, inbox.toString(),
        IngestConfig.PROCESSED_DIR, root.resolve("processed").toString(),
        IngestConfig.REJECTED_DIR, root.resolve("rejected").toString(),
        IngestConfig.MEDIA_DIR, root.resolve("media").toString(),
        IngestConfig.PORT, "0"));
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private static List<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".part")).sorted().toList();
    }
  }

  /** Every event on the posts topic so far. */
  static List<PostEvent> events(KafkaSettings kafka) {
    List<PostEvent> events = new ArrayList<>();
    try (KafkaConsumer<String, PostEvent> consumer = new KafkaConsumer<>(ClientProperties.reader(kafka, "hostile-audit"),
        new StringDeserializer(), JsonSerde.deserializer(new EventJson(), PostEvent.class))) {
      TopicPartition posts = new TopicPartition(kafka.topics().posts(), 0);
      consumer.assign(List.of(posts));
      consumer.seekToBeginning(List.of(posts));
      long end = consumer.endOffsets(List.of(posts)).get(posts);
      while (consumer.position(posts) < end) {
        for (ConsumerRecord<String, PostEvent> r : consumer.poll(Duration.ofMillis(500))) {
          events.add(r.value());
        }
      }
    }
    return events;
  }
}
