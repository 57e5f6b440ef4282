package dev.pressline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.MediaRef;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.testing.Inbox;
import dev.pressline.ingest.testing.RunningIngest;
import dev.pressline.ingest.testing.TestMedia;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3's rules for media, retraction, scheduling, encodings and path safety, on a real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class InboxRulesTest {

  @TempDir Path root;
  private KafkaSettings kafka;
  private Folders folders;
  private RunningIngest ingest;
  private Inbox inbox;

  @BeforeEach
  void start(KafkaBroker broker) throws InterruptedException {
    kafka = broker.freshSettings();
    folders = Folders.under(root.resolve("data"));
    ingest = RunningIngest.start(RunningIngest.config(kafka, folders));
    inbox = ingest.inbox();
  }

  @AfterEach
  void stop() {
    ingest.close();
  }

  private String reason(String name) {
    return inbox.read(folders.rejected(), name + ".reason.txt");
  }

  @Test
  void attachesAudioNamedInFrontMatterWithSizeTypeAndDurationAndStoresItByContent() throws Exception {
    byte[] mp3 = TestMedia.mp3(95);
    inbox.drop("episode-1-audio.mp3", mp3);
    inbox.drop("episode-1.md", "---\ntitle: Episode one\naudio: episode-1-audio.mp3\nepisode: 1\nexplicit: true\n---\nShow notes.\n");

    PostEvent event = ingest.awaitEvents(1).get(0);
    MediaRef audio = event.audio();
    assertThat(audio.mimeType()).isEqualTo("audio/mpeg");
    assertThat(audio.byteSize()).isEqualTo(mp3.length);
    assertThat(audio.durationSeconds()).isEqualTo(95);
    assertThat(audio.fileName()).matches("[0-9a-f]{64}\\.mp3");
    assertThat(Files.readAllBytes(folders.media().resolve(audio.fileName()))).isEqualTo(mp3);
    assertThat(event.episode()).isEqualTo(1);
    assertThat(event.explicit()).isTrue();
    await().until(() -> inbox.inbox().isEmpty());
    assertThat(inbox.processed()).contains("episode-1.md", "episode-1-audio.mp3", "episode-1.md.receipt.txt");
    assertThat(inbox.read(folders.processed(), "episode-1.md.receipt.txt")).contains("Audio: " + audio.fileName()).contains("0:01:35");
  }

  @Test
  void attachesAnM4aWithThePostsBaseName() {
    inbox.drop("talk.m4a", TestMedia.m4a(600));
    inbox.drop("talk.txt", "A talk\n\nListen to it.\n");

    PostEvent event = ingest.awaitEvents(1).get(0);
    assertThat(event.audio().mimeType()).isEqualTo("audio/mp4");
    assertThat(event.audio().durationSeconds()).isEqualTo(600);
  }

  @Test
  void waitsForAudioThatArrivesAfterThePostWithinTheGracePeriod() throws Exception {
    ingest.close();
    ingest = RunningIngest.start(RunningIngest.config(kafka, folders, Duration.ofMillis(200), Duration.ofSeconds(30)));
    inbox = ingest.inbox();
    inbox.drop("late.md", "---\ntitle: Late audio\naudio: late.mp3\n---\nNotes.\n");
    await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> inbox.inbox().contains("late.md"));
    assertThat(ingest.events()).isEmpty();

    inbox.drop("late.mp3", TestMedia.mp3(10));

    assertThat(ingest.awaitEvents(1).get(0).audio().durationSeconds()).isEqualTo(10);
  }

  @Test
  void rejectsAPostWhoseAudioNeverArrivesOrIsFake() {
    inbox.drop("missing.md", "---\ntitle: Missing audio\naudio: nowhere.mp3\n---\nNotes.\n");
    inbox.drop("fake.md", "---\ntitle: Fake audio\naudio: fake.mp3\n---\nNotes.\n");
    inbox.drop("fake.mp3", "I am a text file pretending to be audio. ".repeat(50));

    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.rejected().contains("missing.md.reason.txt"));
    assertThat(reason("missing.md")).contains("‘nowhere.mp3’ named in the post is not in the inbox (waited 3 seconds)");
    assertThat(reason("fake.md")).contains("not a real MP3");
    assertThat(inbox.rejected()).contains("fake.mp3", "fake.mp3.reason.txt");
    assertThat(ingest.events()).isEmpty();
  }

  @Test
  void settlesAudioThatNoPostClaims() {
    inbox.drop("stray.mp3", TestMedia.mp3(4));

    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.rejected().contains("stray.mp3.reason.txt"));
    assertThat(reason("stray.mp3")).contains("No post claimed “stray.mp3”");
  }

  @Test
  void withdrawsAPostThroughAMarkerFileOrFrontMatter() {
    inbox.drop("first.txt", "First post\n\nBody.\n");
    inbox.drop("second.md", "---\ntitle: Second post\nslug: second\n---\nBody.\n");
    ingest.awaitEvents(2);
    await().until(() -> inbox.inbox().isEmpty());

    inbox.drop("first-post.retract", "");
    inbox.drop("withdraw-second.md", "---\nslug: second\nretract: true\n---\n");
    inbox.drop("unknown-slug.retract", "");

    List<PostEvent> events = ingest.awaitEvents(4);
    assertThat(events.subList(2, 4)).allMatch(e -> e.change() == PostChange.RETRACTED && e.revision() == 2)
        .extracting(PostEvent::slug).containsExactlyInAnyOrder("first-post", "second");
    assertThat(events.get(2).isVisibleAt(Instant.now())).isFalse();
    await().until(() -> inbox.rejected().contains("unknown-slug.retract.reason.txt"));
    assertThat(reason("unknown-slug.retract")).contains("no published post with the slug ‘unknown-slug’");
  }

  @Test
  void carriesAFutureDateAsThePublishTimeSoConsumersHoldThePost() {
    // two years ahead: scheduled, and within the ten years a post may be dated ahead
    String later = (Year.now(ZoneOffset.UTC).getValue() + 2) + "-01-01T08:00:00Z";
    inbox.drop("later.md", "---\ntitle: Later\ndate: " + later + "\n---\nNot yet.\n");

    PostEvent event = ingest.awaitEvents(1).get(0);
    assertThat(event.publishAt()).isEqualTo(Instant.parse(later));
    assertThat(event.isVisibleAt(Instant.now())).isFalse();
    await().until(() -> inbox.processed().contains("later.md.receipt.txt"));
    assertThat(inbox.read(folders.processed(), "later.md.receipt.txt")).contains("scheduled: held until then");
  }

  @Test
  void readsWindows1252AndUtf16FilesWithTypographicCharactersIntact() {
    String text = "Don’t “panic” – café\r\n\r\nIt’s fine…\r\n";
    inbox.drop("cp1252.txt", text.getBytes(Charset.forName("windows-1252")));
    byte[] utf16 = text.getBytes(StandardCharsets.UTF_16LE);
    byte[] withBom = new byte[utf16.length + 2];
    withBom[0] = (byte) 0xFF;
    withBom[1] = (byte) 0xFE;
    System.arraycopy(utf16, 0, withBom, 2, utf16.length);
    inbox.drop("utf16.txt", withBom);

    List<PostEvent> events = ingest.awaitEvents(1);
    assertThat(events.get(0).title()).isEqualTo("Don’t “panic” – café");
    assertThat(events.get(0).text()).isEqualTo("It’s fine…\n");
    // the same post in another encoding is new content: a second post, not an update
    await().until(() -> ingest.events().size() == 2);
  }

  @Test
  void rejectsASymbolicLinkToAFileOutsideTheInbox() throws Exception {
    Path secret = Files.writeString(root.resolve("secret.txt"), "Secret\n\nDo not publish.\n");
    Files.createSymbolicLink(folders.inbox().resolve("link.txt"), secret);

    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.rejected().contains("link.txt.reason.txt"));
    assertThat(reason("link.txt")).contains("outside the inbox");
    assertThat(ingest.events()).isEmpty();
    assertThat(Files.readString(secret)).contains("Do not publish");
  }

  @Test
  void takesPostsFromSubfoldersWithTheirAudioAndTellsSameNamedFilesApart() throws Exception {
    Files.createDirectories(folders.inbox().resolve("episode-7"));
    Files.createDirectories(folders.inbox().resolve("a"));
    Files.createDirectories(folders.inbox().resolve("b"));
    inbox.drop("episode-7/post.mp3", TestMedia.mp3(30));
    inbox.drop("episode-7/post.md", "---\ntitle: Episode seven\n---\nNotes.\n");
    inbox.drop("a/post.txt", "From folder a\n\nBody.\n");
    inbox.drop("b/post.txt", "From folder b\n\nBody.\n");

    List<PostEvent> events = ingest.awaitEvents(3);

    assertThat(events).extracting(PostEvent::sourceFile)
        .containsExactlyInAnyOrder("episode-7/post.md", "a/post.txt", "b/post.txt");
    assertThat(events).allMatch(e -> e.revision() == 1 && e.change() == PostChange.PUBLISHED);
    assertThat(events.stream().filter(e -> e.slug().equals("episode-seven")).findFirst().orElseThrow().audio().durationSeconds())
        .isEqualTo(30);
    await().until(() -> Files.notExists(folders.inbox().resolve("episode-7/post.mp3")));
  }

  @Test
  void doesNotFollowALinkedFolderOutOfTheInbox() throws Exception {
    Path outside = Files.createDirectories(root.resolve("elsewhere"));
    Files.writeString(outside.resolve("private.txt"), "Private\n\nNot for the feed.\n");
    Files.createSymbolicLink(folders.inbox().resolve("linked"), outside);

    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.rejected().contains("linked.reason.txt"));
    assertThat(reason("linked")).contains("outside the inbox");
    assertThat(ingest.events()).isEmpty();
    assertThat(outside.resolve("private.txt")).exists();
  }

  @Test
  void takesAFixedFileDroppedAgainAfterARejection() {
    inbox.drop("fix-me.md", "---\ntitle: Fix me\ndate: someday\n---\nBody.\n");
    await().until(() -> inbox.rejected().contains("fix-me.md.reason.txt"));
    assertThat(reason("fix-me.md")).contains("Line 3: ‘date’ is not a date");

    inbox.drop("fix-me.md", "---\ntitle: Fix me\ndate: 2020-01-01\n---\nBody.\n");

    assertThat(ingest.awaitEvents(1).get(0).publishAt()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
  }

  @Test
  void rejectsNamedPipesAndSocketsWithoutOpeningThemAndTakesThePostsBehind() throws Exception {
    mkfifo(folders.inbox().resolve("pipe.md"));
    mkfifo(folders.inbox().resolve("pipe.mp3"));
    try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      socket.bind(UnixDomainSocketAddress.of(folders.inbox().resolve("socket.txt")));
      inbox.drop("behind.txt", "Behind the pipe\n\nStill taken.\n");

      await().atMost(Duration.ofSeconds(15)).until(() -> inbox.inbox().isEmpty());
    }
    assertThat(reason("pipe.md")).contains("named pipe");
    assertThat(reason("pipe.mp3")).contains("named pipe");
    assertThat(reason("socket.txt")).contains("socket");
    assertThat(ingest.events()).extracting(PostEvent::title).containsExactly("Behind the pipe");
  }

  private static void mkfifo(Path path) throws Exception {
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(p.waitFor()).as("mkfifo").isZero();
  }
}
