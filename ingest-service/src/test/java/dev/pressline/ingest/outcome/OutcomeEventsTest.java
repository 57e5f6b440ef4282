package dev.pressline.ingest.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.EventJson;
import dev.pressline.events.FileOutcome;
import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.IngestService;
import dev.pressline.ingest.testing.Inbox;
import dev.pressline.ingest.testing.RunningIngest;
import dev.pressline.support.kafka.ClientProperties;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every file's outcome reaches the file-outcomes topic, in the receipt's words; the folders stay as they are. */
@ExtendWith(KafkaBrokerExtension.class)
class OutcomeEventsTest {

  /**
   * Files dropped while the topic is gone. A report that blocks holds each up for max.block.ms (2 s),
   * 40 s in all; the test allows 1 s per file, 20 s.
   */
  private static final int FILES = 20;

  @TempDir Path root;

  @Test
  void publishesTakenDuplicateAndRejectedFilesWithTheirReasons(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    Folders folders = Folders.under(root);
    Inbox inbox = new Inbox(folders);
    List<FileOutcome> seen = new CopyOnWriteArrayList<>();
    try (IngestService ingest = IngestService.start(RunningIngest.config(kafka, folders, Duration.ofMillis(200)))) {
      assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();
      try (TopicFollower<FileOutcome> follower = new TopicFollower<>(kafka, kafka.topics().fileOutcomes(),
          JsonSerde.deserializer(new EventJson(), FileOutcome.class), (key, value) -> seen.add(value)).start()) {
        inbox.drop("hello.md", "# Hello there\n\nA first post.\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 1);
        inbox.drop("again.md", "# Hello there\n\nA first post.\n");
        inbox.drop("empty.md", "\n\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 3);

        assertThat(seen).filteredOn(o -> o.file().equals("hello.md")).singleElement().satisfies(o -> {
          assertThat(o.kind()).isEqualTo(FileOutcome.Kind.PUBLISHED);
          assertThat(o.slug()).isEqualTo("hello-there");
        });
        assertThat(seen).filteredOn(o -> o.file().equals("again.md")).singleElement()
            .satisfies(o -> assertThat(o.kind()).isEqualTo(FileOutcome.Kind.DUPLICATE));
        FileOutcome rejected = seen.stream().filter(o -> o.file().equals("empty.md")).findFirst().orElseThrow();
        assertThat(rejected.kind()).isEqualTo(FileOutcome.Kind.REJECTED);
        assertThat(rejected.slug()).isNull();
        String reasonFile = inbox.rejected().stream().filter(n -> !n.equals("empty.md")).findFirst().orElseThrow();
        String firstReasonLine = inbox.read(folders.rejected(), reasonFile).lines()
            .filter(l -> !l.isBlank()).skip(1).findFirst().orElseThrow();
        assertThat(rejected.reason()).as("the reason file's words").contains(firstReasonLine);
        assertThat(inbox.processed()).contains("hello.md", "again.md");
      }
    }
  }

  @Test
  void ingestMovesFilesOnWhileTheOutcomesTopicIsGone(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    Folders folders = Folders.under(root);
    Inbox inbox = new Inbox(folders);
    try (IngestService ingest = IngestService.start(RunningIngest.config(kafka, folders, Duration.ofMillis(200)))) {
      assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();
      try (Admin admin = Admin.create(ClientProperties.admin(kafka, "outcome-events-test"))) {
        // auto-create is off: every send to it now waits max.block.ms for partitions that never come
        admin.deleteTopics(List.of(kafka.topics().fileOutcomes())).all().get();
      }
      for (int i = 0; i < FILES; i++) {
        inbox.drop("post-" + i + ".md", "# Post number " + i + "\n\nBody " + i + ".\n");
      }

      // generous for 20 files, and half of what 20 blocking reports take
      await().atMost(Duration.ofSeconds(FILES)).until(() -> inbox.processed().stream()
          .filter(n -> n.endsWith(".md")).count() == FILES);
      await().atMost(Duration.ofSeconds(20)).until(() -> dropped(ingest) >= 1);
      assertThat(dropped(ingest)).as("outcomes lost, never more than one per file").isBetween(1.0, (double) FILES);
    }
  }

  private static double dropped(IngestService ingest) throws Exception {
    String metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + ingest.healthPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(l -> l.startsWith("ingest_outcome_events_dropped_total{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
