package dev.pressline.ingest.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.testing.RunningIngest;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 #1: a post is taken only once it is completely written, and what lies in processed/ is
 * exactly what was published (the receipt's content hash is the hash of the file beside it).
 */
@ExtendWith(KafkaBrokerExtension.class)
class UnfinishedFilesTest {

  private static final Duration SETTLE = Duration.ofMillis(300);

  @TempDir Path root;

  @Test
  void aFileStillOpenForWritingIsNotTakenDuringAPauseLongerThanTheSettleTime(KafkaBroker broker) throws Exception {
    Folders folders = Folders.under(root.resolve("data"));
    try (RunningIngest ingest = RunningIngest.start(RunningIngest.config(broker.freshSettings(), folders, SETTLE))) {
      Path file = folders.inbox().resolve("slow-copy.md");
      try (FileChannel writer = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        writer.write(utf8("# A slow copy\n\nThe first part arrives.\n"));
        writer.force(true);
        // the copy pauses with the file open for several settle times: nothing may be published
        await("nothing taken while the writer holds the file open")
            .during(SETTLE.multipliedBy(6)).atMost(SETTLE.multipliedBy(12))
            .until(() -> ingest.events().isEmpty() && Files.exists(file));
        writer.write(utf8("\nThe second part arrives after the pause.\n"));
      }

      PostEvent event = ingest.awaitEvents(1).get(0);
      assertThat(event.text()).contains("The first part arrives", "The second part arrives after the pause");
      assertPublishedExactlyWhatWasMoved(folders, "slow-copy.md", event);
    }
  }

  @Test
  void aFileAppendedInSeveralOpenAndCloseCyclesIsPublishedWhole(KafkaBroker broker) throws Exception {
    Folders folders = Folders.under(root.resolve("data"));
    Duration settle = Duration.ofSeconds(1);
    try (RunningIngest ingest = RunningIngest.start(RunningIngest.config(broker.freshSettings(), folders, settle))) {
      Path file = folders.inbox().resolve("appended.txt");
      Files.writeString(file, "Written in bits\n\n");
      for (int i = 1; i <= 5; i++) {
        Files.writeString(file, "Part " + i + " of the post.\n\n", StandardOpenOption.APPEND);
        await("nothing taken between two appends").during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1))
            .until(() -> ingest.events().isEmpty());
      }

      PostEvent event = ingest.awaitEvents(1).get(0);
      assertThat(event.text()).contains("Part 1 of the post", "Part 5 of the post");
      assertPublishedExactlyWhatWasMoved(folders, "appended.txt", event);
      assertThat(ingest.events()).hasSize(1);
    }
  }

  @Test
  void aFileRenamedIntoTheInboxIsTakenWithoutWaitingForItsSettleTime(KafkaBroker broker) throws Exception {
    Folders folders = Folders.under(root.resolve("data"));
    // a settle time no test run reaches: the renamed file must be taken without it
    KafkaSettings kafka = broker.freshSettings();
    try (RunningIngest ingest = RunningIngest.start(RunningIngest.config(kafka, folders, Duration.ofHours(1)))) {
      Path aside = folders.inbox().resolve("renamed.md.part");
      Files.writeString(aside, "# Renamed in\n\nWritten elsewhere, moved in whole.\n");
      Files.setLastModifiedTime(aside, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
      Files.move(aside, folders.inbox().resolve("renamed.md"), StandardCopyOption.ATOMIC_MOVE);

      PostEvent event = ingest.awaitEvents(1).get(0);
      assertPublishedExactlyWhatWasMoved(folders, "renamed.md", event);
    }
  }

  private static void assertPublishedExactlyWhatWasMoved(Folders folders, String name, PostEvent event)
      throws Exception {
    Path processed = folders.processed().resolve(name);
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(processed.resolveSibling(name + ".receipt.txt"))
        && Files.exists(processed));
    String receipt = Files.readString(processed.resolveSibling(name + ".receipt.txt"));
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(processed)));
    assertThat(receipt).contains("Content hash: " + hash);
    assertThat(event.contentHash()).isEqualTo(hash);
    assertThat(Files.exists(folders.inbox().resolve(name))).isFalse();
  }

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

}
