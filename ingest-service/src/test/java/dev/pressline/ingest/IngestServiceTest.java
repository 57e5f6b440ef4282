package dev.pressline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.testing.Inbox;
import dev.pressline.ingest.testing.PostsTopic;
import dev.pressline.ingest.testing.RunningIngest;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** ingest-service against a real Kafka broker, with a temporary inbox. */
@ExtendWith(KafkaBrokerExtension.class)
class IngestServiceTest {

  /** One client, so its kept-alive connections are reused rather than piling up against the per-client limit. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path root;
  private KafkaSettings kafka;
  private IngestService service;
  private PostsTopic topic;
  private Inbox inbox;

  @BeforeEach
  void start(KafkaBroker broker) throws InterruptedException {
    kafka = broker.freshSettings();
    Folders folders = Folders.under(root);
    inbox = new Inbox(folders);
    service = startService(folders);
    topic = new PostsTopic(kafka);
  }

  private IngestService startService(Folders folders) throws InterruptedException {
    return startService(folders, Duration.ofMillis(200));
  }

  private IngestService startService(Folders folders, Duration settleTime) throws InterruptedException {
    IngestService s = IngestService.start(RunningIngest.config(kafka, folders, settleTime));
    assertThat(s.awaitReady(Duration.ofSeconds(60))).isTrue();
    return s;
  }

  @AfterEach
  void stop() {
    topic.close();
    service.close();
  }

  private List<PostEvent> awaitEvents(int count) {
    await().atMost(Duration.ofSeconds(20)).until(() -> topic.events().size() >= count);
    return topic.events();
  }

  @Test
  void publishesEachSeedOnceAndMovesItToProcessedWithAReceipt() throws IOException {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("pressline.seeds")))) {
      seeds = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    for (Path seed : seeds) {
      inbox.dropCopy(seed);
    }

    List<PostEvent> events = awaitEvents(5);
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.inbox().isEmpty() && inbox.processed().size() == 10);

    assertThat(events).hasSize(5).allMatch(e -> e.change() == PostChange.PUBLISHED && e.revision() == 1);
    assertThat(events).extracting(PostEvent::slug).doesNotHaveDuplicates().contains(
        "relationship-problems-wanting-your-partner-back-when-they-dont-want-you",
        "relationship-problems-wanting-your-partner-back-when-they-dont-want-you-2",
        "getting-him-back-if-he-did-the-breaking-up");
    PostEvent second = events.stream().filter(e -> e.sourceFile().startsWith("001_")).findFirst().orElseThrow();
    assertThat(second.slug()).endsWith("-2");
    assertThat(second.title()).isEqualTo("Relationship Problems: Wanting Your Partner Back When They Don’t Want You");
    assertThat(second.html()).contains("Fighting In A Relationship");
    assertThat(events).allMatch(e -> e.contentHash().length() == 64 && e.email() && e.publishAt() != null);
    assertThat(inbox.rejected()).isEmpty();
    String receipt = inbox.read(root.resolve("processed"), seeds.get(1).getFileName() + ".receipt.txt");
    assertThat(receipt).contains("Published as a new post").contains("http://news.example/posts/" + second.slug());
  }

  @Test
  void rejectsEmptyBinaryAndTitlelessFilesWithReasonsAndKeepsTakingPosts() {
    inbox.drop("empty.txt", new byte[0]);
    inbox.drop("photo.txt", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D});
    inbox.drop("list.txt", "• milk\n• eggs\n");
    inbox.drop("notes.docx", "PK fake word file");
    inbox.drop("huge.txt", "Huge\n\n" + "word ".repeat(300_000));

    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.rejected().size() == 10);
    assertThat(inbox.read(root.resolve("rejected"), "huge.txt.reason.txt")).contains("more than the 1.0 MB a post may have");
    assertThat(inbox.read(root.resolve("rejected"), "empty.txt.reason.txt")).contains("The file is empty.");
    assertThat(inbox.read(root.resolve("rejected"), "photo.txt.reason.txt")).contains("not a text file");
    assertThat(inbox.read(root.resolve("rejected"), "list.txt.reason.txt")).contains("Line 1: The post has no title");
    assertThat(inbox.read(root.resolve("rejected"), "notes.docx.reason.txt")).contains(".docx");

    inbox.drop("good.txt", "A good post\n\nWith “text”.\n");
    assertThat(awaitEvents(1)).singleElement().extracting(PostEvent::slug).isEqualTo("a-good-post");
  }

  @Test
  void rejectsAPostTooLargeForOneKafkaRecordAndKeepsTakingPosts() {
    // 600 KB of text under the 1 MiB file limit; escaped as HTML plus the text, about 2.4 MB in one event
    inbox.drop("big.txt", "A big post\n\n" + "<b>".repeat(200_000) + "\n");
    inbox.drop("small.txt", "A small post\n\nBody.\n");

    await().atMost(Duration.ofSeconds(30)).until(() -> inbox.rejected().contains("big.txt.reason.txt"));
    assertThat(inbox.read(root.resolve("rejected"), "big.txt.reason.txt")).contains("too large to publish");
    assertThat(awaitEvents(1)).extracting(PostEvent::slug).containsExactly("a-small-post");
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.inbox().isEmpty());
  }

  @Test
  void ignoresHiddenTemporaryAndPartialFiles() throws Exception {
    for (String name : List.of(".hidden.txt", "draft.txt.tmp", "big.txt.part", "get.txt.crdownload", "post.txt~")) {
      Files.writeString(root.resolve("inbox").resolve(name), "Title\n\nBody.\n");
    }
    inbox.drop("real.txt", "Real\n\nBody.\n");

    awaitEvents(1);
    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> inbox.inbox().size() == 5);
    assertThat(topic.events()).hasSize(1);
  }

  @Test
  void takesAFileOnlyOnceItHasStoppedGrowing() throws Exception {
    service.close();
    service = startService(Folders.under(root), Duration.ofSeconds(1));
    Path file = root.resolve("inbox").resolve("slow.txt");
    Files.writeString(file, "Slow title\n\nFirst part");
    for (int i = 0; i < 5; i++) {
      Thread.sleep(100); // an editor's tool writing in pieces, slower than a poll but faster than the settle time
      Files.writeString(file, " and more", java.nio.file.StandardOpenOption.APPEND);
    }
    Files.writeString(file, ".\n", java.nio.file.StandardOpenOption.APPEND);

    PostEvent event = awaitEvents(1).get(0);
    assertThat(event.text()).isEqualTo("First part and more and more and more and more and more.\n");
  }

  @Test
  void takesAFileOnceItHasSettledWithoutWaitingForTheNextPoll() throws Exception {
    service.close();
    IngestConfig base = RunningIngest.config(kafka, Folders.under(root));
    IngestConfig hourly = base.toBuilder().port(0).pollInterval(Duration.ofHours(1)).build();
    service = IngestService.start(hourly);
    assertThat(service.awaitReady(Duration.ofSeconds(60))).isTrue();

    // the inbox is looked at when the service starts, the next poll is an hour away: only the
    // notification of the arrival and the file's settle time can bring it forward
    inbox.drop("prompt.txt", "Prompt\n\nTaken without waiting for the next poll.\n");

    assertThat(awaitEvents(1)).extracting(PostEvent::slug).containsExactly("prompt");
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.processed().contains("prompt.txt.receipt.txt"));
  }

  @Test
  void recognisesTheSameContentUnderAnotherNameAsADuplicateAndTheSameNameWithNewContentAsAnUpdate() {
    inbox.drop("tips.txt", "Tips\n\nFirst version.\n");
    awaitEvents(1);
    await().until(() -> inbox.inbox().isEmpty());

    inbox.drop("copy-of-tips.txt", "Tips\n\nFirst version.\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.processed().contains("copy-of-tips.txt.receipt.txt"));
    assertThat(inbox.read(root.resolve("processed"), "copy-of-tips.txt.receipt.txt")).contains("Not published again");

    inbox.drop("tips.txt", "Tips, corrected\n\nSecond version.\n");
    List<PostEvent> events = awaitEvents(2);

    assertThat(events).hasSize(2);
    PostEvent update = events.get(1);
    assertThat(update.change()).isEqualTo(PostChange.UPDATED);
    assertThat(update.slug()).isEqualTo("tips");
    assertThat(update.revision()).isEqualTo(2);
    assertThat(update.title()).isEqualTo("Tips, corrected");
    assertThat(update.publishAt()).as("a correction keeps its place in the feed").isEqualTo(events.get(0).publishAt());
  }

  @Test
  void anUpdateIsEmailedAgainOnlyWhenItsFrontMatterAsks() {
    inbox.drop("news.md", "---\ntitle: News\nslug: news\nresend: true\n---\nFirst version.\n");
    awaitEvents(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.processed().contains("news.md.receipt.txt"));
    assertThat(inbox.read(root.resolve("processed"), "news.md.receipt.txt"))
        .as("resend on a new post is pointless").contains("‘resend: true’ was ignored");

    inbox.drop("news-fix.md", "---\ntitle: News\nslug: news\n---\nA typo fixed.\n");
    awaitEvents(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.processed().contains("news-fix.md.receipt.txt"));
    inbox.drop("news-correction.md", "---\ntitle: News – corrected\nslug: news\nresend: true\n---\nThe date was wrong.\n");
    List<PostEvent> events = awaitEvents(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.processed().contains("news-correction.md.receipt.txt"));

    assertThat(events).extracting(PostEvent::revision).containsExactly(1, 2, 3);
    assertThat(events).extracting(PostEvent::resend).containsExactly(false, false, true);
    assertThat(inbox.read(root.resolve("processed"), "news-fix.md.receipt.txt"))
        .contains("subscribers are not emailed again");
    assertThat(inbox.read(root.resolve("processed"), "news-correction.md.receipt.txt"))
        .contains("Email to subscribers: yes, again (resend: true)");
  }

  @Test
  void decidesEveryFileAgainstAllThatWentBeforeWhenManyArriveAtOnce() throws IOException {
    Path staging = Files.createDirectories(root.resolve("staging"));
    for (int i = 0; i < 40; i++) {
      Files.writeString(staging.resolve(String.format("post-%02d.txt", i)), "Post " + i + "\n\nBody " + i + ".\n");
      Files.writeString(staging.resolve(String.format("copy-%02d.txt", i)), "Post " + i + "\n\nBody " + i + ".\n");
    }
    for (int i = 0; i < 3; i++) {
      Files.writeString(staging.resolve("same-title-" + i + ".txt"), "Same title\n\nVersion " + i + ".\n");
    }
    try (Stream<Path> files = Files.list(staging)) {
      for (Path f : files.toList()) {
        Files.move(f, root.resolve("inbox").resolve(f.getFileName()));
      }
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> inbox.inbox().isEmpty());
    List<PostEvent> events = awaitEvents(43);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> topic.events().size() == 43);

    assertThat(events).extracting(PostEvent::slug).doesNotHaveDuplicates()
        .contains("same-title", "same-title-2", "same-title-3", "post-0", "post-39");
    assertThat(events).extracting(PostEvent::contentHash).doesNotHaveDuplicates();
    assertThat(inbox.processed().stream().filter(n -> n.endsWith(".receipt.txt"))).hasSize(83);
  }

  @Test
  void remembersPublishedPostsAfterARestartOnAnEmptyDisk() throws InterruptedException {
    inbox.drop("one.txt", "One\n\nBody.\n");
    awaitEvents(1);
    service.close();

    Folders fresh = Folders.under(root.resolve("new-machine"));
    service = startService(fresh);
    Inbox newInbox = new Inbox(fresh);
    newInbox.drop("one-again.txt", "One\n\nBody.\n");
    newInbox.drop("one.txt", "One\n\nBody, edited.\n");

    await().atMost(Duration.ofSeconds(10)).until(() -> newInbox.processed().size() == 4);
    List<PostEvent> events = awaitEvents(2);
    assertThat(events).hasSize(2);
    assertThat(events.get(1).slug()).isEqualTo("one");
    assertThat(events.get(1).revision()).isEqualTo(2);
    assertThat(newInbox.read(fresh.processed(), "one-again.txt.receipt.txt")).contains("Not published again");
  }

  @Test
  void answersHealthAndMetricsOverHttp() throws Exception {
    inbox.drop("counted.txt", "Counted\n\nBody.\n");
    inbox.drop("empty.txt", new byte[0]);
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.inbox().isEmpty());

    HttpResponse<String> health = get("/health");
    HttpResponse<String> metrics = get("/metrics");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"");
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(get("/health/live").body()).contains("\"status\":\"ALIVE\"");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("ingest_ready{service=\"ingest-service\"} 1.0", "ingest_up{service=\"ingest-service\"} 1.0")
        .contains("ingest_catalogue_posts{service=\"ingest-service\"} 1.0")
        .contains("ingest_files_total{outcome=\"published\",service=\"ingest-service\"} 1.0")
        .contains("ingest_files_total{outcome=\"rejected\",service=\"ingest-service\"} 1.0")
        .contains("jvm_memory_used_bytes");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + service.healthPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
