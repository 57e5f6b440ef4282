package dev.pressline.ingest.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.catalogue.Catalogue;
import dev.pressline.ingest.publish.PostSink;
import dev.pressline.ingest.publish.PublishFailedException;
import dev.pressline.ingest.testing.Inbox;
import dev.pressline.ingest.testing.RunningIngest;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file processor's pipeline without a broker: a sink that answers only when asked keeps as many
 * events on their way as the processor allows, and checks that a file is still in the inbox when
 * its event is acknowledged and that no two events for one slug are ever on their way together.
 */
class FileProcessorTest {

  @TempDir Path root;
  private Folders folders;
  private Inbox inbox;
  private Catalogue catalogue;
  private HoldingSink sink;
  private FileProcessor processor;

  /**
   * Acknowledges an event only when the processor waits for it and fails the slugs it is told to;
   * those in {@code failingEarly} are answered (with the failure) once three events were sent, and
   * while {@code withdrawable} an event not yet answered can be taken back.
   */
  private final class HoldingSink implements PostSink {
    final List<PostEvent> sent = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final Set<String> failing = new HashSet<>();
    final Set<String> failingEarly = new HashSet<>();
    boolean withdrawable;
    final List<String> withdrawn = new ArrayList<>();
    private final Set<String> onTheirWay = new HashSet<>();
    int mostOnTheirWay;
    /** Runs as each event is sent: a test changes the file here, after it was read. */
    Consumer<PostEvent> whenSent = event -> {};

    @Override
    public Ack send(PostEvent event) {
      whenSent.accept(event);
      if (!onTheirWay.add(event.slug())) {
        problems.add("a second event for " + event.slug() + " was sent before the first was acknowledged");
      }
      mostOnTheirWay = Math.max(mostOnTheirWay, onTheirWay.size());
      sent.add(event);
      return new Ack() {
        @Override
        public void await() {
          onTheirWay.remove(event.slug());
          if (!Files.exists(folders.inbox().resolve(event.sourceFile()))) {
            problems.add(event.sourceFile() + " left the inbox before its event was acknowledged");
          }
          if (failing.contains(event.slug()) || failingEarly.contains(event.slug())) {
            throw new PublishFailedException(event.slug(), new IOException("the broker went away"));
          }
          if (withdrawn.contains(event.slug())) {
            throw new PublishFailedException(event.slug(), new IOException("taken back"));
          }
        }

        @Override
        public boolean isDone() {
          return failingEarly.contains(event.slug()) && sent.size() >= 3;
        }

        @Override
        public boolean withdraw() {
          if (withdrawable && !isDone() && !withdrawn.contains(event.slug())) {
            withdrawn.add(event.slug());
          }
          return withdrawn.contains(event.slug());
        }
      };
    }
  }

  @BeforeEach
  void setUp() {
    folders = Folders.under(root).create();
    inbox = new Inbox(folders);
    catalogue = new Catalogue();
    sink = new HoldingSink();
    KafkaSettings kafka = new KafkaSettings("localhost:1", new TopicNames("unused."), 1, (short) 1);
    IngestConfig config = RunningIngest.config(kafka, folders);
    MediaAttacher noMedia = (post, parsed, since) ->
        new MediaAttacher.Attached(null, null, List.of(), List.of(), List.of(), null);
    processor = new FileProcessor(config, catalogue, sink, noMedia, Clock.systemUTC(), ProcessingListener.NONE, 2);
  }

  @AfterEach
  void tearDown() {
    processor.close();
  }

  private List<FileProcessor.Ready> ready(List<Path> files) {
    return files.stream().map(f -> new FileProcessor.Ready(f, Instant.now())).toList();
  }

  @Test
  void movesEveryFileOfALargeDropWithItsReceiptAndSendsOneEventForEachDistinctPost() {
    List<Path> files = new ArrayList<>();
    int posts = 1_200; // more than may be on their way at once
    for (int i = 0; i < posts; i++) {
      files.add(inbox.drop(String.format("post-%04d.txt", i), "Post " + i + "\n\nBody of post " + i + ".\n"));
    }
    for (int i = 0; i < 30; i++) {
      files.add(inbox.drop(String.format("copy-%04d.txt", i), "Post " + i + "\n\nBody of post " + i + ".\n"));
    }

    FileProcessor.Result result = processor.processAll(ready(files));

    assertThat(result.failure()).isNull();
    assertThat(sink.problems).isEmpty();
    assertThat(sink.mostOnTheirWay).as("events overlap").isGreaterThan(100);
    assertThat(inbox.inbox()).isEmpty();
    assertThat(sink.sent).hasSize(posts);
    assertThat(sink.sent).extracting(PostEvent::slug).doesNotHaveDuplicates();
    assertThat(sink.sent).extracting(PostEvent::sourceFile).doesNotHaveDuplicates().allMatch(n -> n.startsWith("post-"));
    for (Path file : files) {
      String name = file.getFileName().toString();
      assertThat(inbox.processed()).contains(name, name + ".receipt.txt");
    }
    assertThat(inbox.read(folders.processed(), "copy-0007.txt.receipt.txt")).contains("Not published again", "post-7");
    assertThat(result.outcomes()).hasSize(files.size());
  }

  @Test
  void decidesPostsThatShareASlugOneAfterTheOtherWithRisingRevisions() {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      files.add(inbox.drop("same-title-" + i + ".txt", "Same title\n\nVersion " + i + ".\n"));
      files.add(inbox.drop("fixed-" + i + ".md", "---\nslug: fixed\n---\n# Fixed slug\n\nVersion " + i + ".\n"));
      files.add(inbox.drop("other-" + i + ".txt", "Other " + i + "\n\nBody.\n"));
    }

    FileProcessor.Result result = processor.processAll(ready(files));

    assertThat(result.failure()).isNull();
    assertThat(sink.problems).isEmpty();
    assertThat(inbox.inbox()).isEmpty();
    assertThat(sink.sent.stream().filter(e -> e.slug().equals("fixed")))
        .extracting(PostEvent::revision).containsExactly(1, 2, 3);
    assertThat(sink.sent).extracting(PostEvent::slug)
        .contains("same-title", "same-title-2", "same-title-3", "other-0", "other-2");
    assertThat(catalogue.bySlug("fixed")).get().extracting(Catalogue.Entry::revision).isEqualTo(3);
  }

  @Test
  void withdrawsAPostDroppedTogetherWithItsRetractionMarkerOnceThePostIsAcknowledged() {
    Path post = inbox.drop("news.txt", "News\n\nBody.\n");
    Path marker = inbox.drop("news.retract", new byte[0]);

    FileProcessor.Result result = processor.processAll(ready(List.of(post, marker)));

    assertThat(result.failure()).isNull();
    assertThat(sink.sent).extracting(PostEvent::change).containsExactly(PostChange.PUBLISHED, PostChange.RETRACTED);
    assertThat(sink.sent).extracting(PostEvent::revision).containsExactly(1, 2);
    assertThat(inbox.rejected()).isEmpty();
    assertThat(inbox.processed()).contains("news.retract.receipt.txt");
  }

  @Test
  void stopsSendingOnceKafkaFailsAnEventAndTakesBackWhatHasNotGoneOut() {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      files.add(inbox.drop("post-" + i + ".txt", "Post " + i + "\n\nBody " + i + ".\n"));
    }
    sink.failingEarly.add("post-0");
    sink.withdrawable = true;

    FileProcessor.Result result = processor.processAll(ready(files));

    assertThat(result.failure()).isNotNull();
    assertThat(result.failure().getMessage()).contains("post-0");
    assertThat(sink.sent).extracting(PostEvent::slug).containsExactly("post-0", "post-1", "post-2");
    assertThat(sink.withdrawn).containsExactly("post-1", "post-2");
    assertThat(inbox.inbox()).hasSize(10);
    assertThat(inbox.processed()).isEmpty();
    assertThat(catalogue.size()).isZero();
  }

  @Test
  void leavesAFileWhoseEventFailsInTheInboxAndMovesEveryAcknowledgedOne() {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      files.add(inbox.drop("post-" + i + ".txt", "Post " + i + "\n\nBody " + i + ".\n"));
    }
    sink.failing.add("post-3");

    FileProcessor.Result result = processor.processAll(ready(files));

    assertThat(result.failure()).isNotNull();
    assertThat(result.failure().getMessage()).contains("post-3");
    assertThat(inbox.inbox()).containsExactly("post-3.txt");
    assertThat(inbox.processed()).doesNotContain("post-3.txt", "post-3.txt.receipt.txt")
        .contains("post-2.txt.receipt.txt", "post-4.txt.receipt.txt");
    assertThat(catalogue.bySlug("post-3")).isEmpty();
    assertThat(sink.problems).isEmpty();

    sink.failing.clear();
    FileProcessor.Result retry = processor.processAll(ready(List.of(folders.inbox().resolve("post-3.txt"))));
    assertThat(retry.failure()).isNull();
    assertThat(inbox.inbox()).isEmpty();
    assertThat(catalogue.bySlug("post-3")).get().extracting(Catalogue.Entry::revision).isEqualTo(1);
  }

  @Test
  void aFileWrittenToAfterItWasReadStaysAndItsWholeContentIsPublishedAsAnUpdate() throws Exception {
    Path file = inbox.drop("draft.txt", "A draft\n\nThe first part.\n");
    sink.whenSent = event -> {
      if (event.revision() == 1) {
        try {
          Files.writeString(file, "\nThe second part, saved after the first was read.\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };

    FileProcessor.Result first = processor.processAll(ready(List.of(file)));

    assertThat(first.failure()).isNull();
    assertThat(inbox.inbox()).as("a file that changed after it was read stays").containsExactly("draft.txt");
    assertThat(inbox.processed()).isEmpty();

    FileProcessor.Result second = processor.processAll(ready(List.of(file)));

    assertThat(second.failure()).isNull();
    assertThat(sink.problems).isEmpty();
    assertThat(sink.sent).extracting(PostEvent::change).containsExactly(PostChange.PUBLISHED, PostChange.UPDATED);
    assertThat(sink.sent).extracting(PostEvent::slug).containsOnly("a-draft");
    PostEvent update = sink.sent.get(1);
    assertThat(update.text()).contains("The second part");
    assertThat(inbox.inbox()).isEmpty();
    byte[] moved = Files.readAllBytes(folders.processed().resolve("draft.txt"));
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(moved));
    assertThat(update.contentHash()).isEqualTo(hash);
    assertThat(inbox.read(folders.processed(), "draft.txt.receipt.txt"))
        .contains("Content hash: " + hash, "still being written when it was first read");
  }

  @Test
  void aFileThatMakesIngestFailUnexpectedlyIsRejectedWithAReasonAndTheNextOneIsTaken() {
    KafkaSettings kafka = new KafkaSettings("localhost:1", new TopicNames("unused."), 1, (short) 1);
    MediaAttacher brokenOnOne = (post, parsed, since) -> {
      if (post.getFileName().toString().equals("broken.md")) {
        throw new IndexOutOfBoundsException("index 40 out of bounds for length 32");
      }
      return new MediaAttacher.Attached(null, null, List.of(), List.of(), List.of(), null);
    };
    Path broken = inbox.drop("broken.md", "# Broken\n\nIts audio makes a probe fail.\n");
    Path next = inbox.drop("next.md", "# Next\n\nWaiting behind it.\n");
    try (FileProcessor p = new FileProcessor(RunningIngest.config(kafka, folders), catalogue, sink, brokenOnOne,
        Clock.systemUTC(), ProcessingListener.NONE, 1)) {

      FileProcessor.Result result = p.processAll(ready(List.of(broken, next)));

      assertThat(result.failure()).isNull();
      assertThat(inbox.inbox()).isEmpty();
      assertThat(inbox.rejected()).contains("broken.md", "broken.md.reason.txt");
      assertThat(inbox.read(folders.rejected(), "broken.md.reason.txt")).contains("error of its own");
      assertThat(sink.sent).extracting(PostEvent::slug).containsExactly("next");
    }
  }
}
