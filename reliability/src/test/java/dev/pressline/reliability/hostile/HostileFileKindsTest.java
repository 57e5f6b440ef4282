package dev.pressline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.IngestService;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inbox entries that are not plain files, or not what they claim: named pipes and sockets (as posts,
 * audio and images, directly and behind links), links to devices, hard links to files outside the
 * inbox, a folder named like a post, and broken images beside posts. Each is rejected with a reason or
 * taken as what it really is; none is read in a way that hangs, nothing outside the inbox changes, and
 * the plain post dropped last is still taken.
 */
@ExtendWith(KafkaBrokerExtension.class)
class HostileFileKindsTest {

  @TempDir Path root;

  @Test
  void specialFilesLinksAndBrokenImagesAreEachRejectedWithAReasonOrTakenAsWhatTheyAre(KafkaBroker broker)
      throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    Path inbox = Files.createDirectories(root.resolve("inbox"));
    Path rejected = root.resolve("rejected");
    Path processed = root.resolve("processed");
    Path outside = Files.createDirectories(root.resolve("outside"));
    Settings settings = Settings.of(Map.of(
        KafkaSettings.BOOTSTRAP, kafka.bootstrapServers(),
        KafkaSettings.TOPIC_PREFIX, kafka.topics().prefix(),
        IngestConfig.INBOX_DIR, inbox.toString(),
        IngestConfig.PROCESSED_DIR, processed.toString(),
        IngestConfig.REJECTED_DIR, rejected.toString(),
        IngestConfig.MEDIA_DIR, root.resolve("media").toString(),
        IngestConfig.PORT, "0",
        IngestConfig.SETTLE_TIME, "50ms",
        IngestConfig.POLL_INTERVAL, "50ms",
        IngestConfig.MEDIA_GRACE, "1s"));

    // special files, under post and media names, and behind links that stay inside the inbox
    mkfifo(inbox.resolve("pipe.md"));
    mkfifo(inbox.resolve("pipe.mp3"));
    mkfifo(inbox.resolve("hidden-pipe"));
    Files.createSymbolicLink(inbox.resolve("link-to-pipe.txt"), inbox.resolve("hidden-pipe"));
    Files.createSymbolicLink(inbox.resolve("zeros.md"), Path.of("/dev/zero"));
    Files.createSymbolicLink(inbox.resolve("null.m4a"), Path.of("/dev/null"));
    mkfifo(inbox.resolve("cover-pipe.png"));
    Files.writeString(inbox.resolve("with-pipe-image.md"), "---\ntitle: Pipe image\nimage: cover-pipe.png\n---\nBody.\n");
    // a hard link to a file outside the inbox: read as the file it is, and the original stays put
    Path original = Files.writeString(outside.resolve("original.txt"), "Hard linked\n\nWritten outside the inbox.\n");
    Files.createLink(inbox.resolve("hard.txt"), original);
    // a folder named like a post is a subfolder: the post inside it is taken
    Files.createDirectories(inbox.resolve("folder.md"));
    Files.writeString(inbox.resolve("folder.md").resolve("inside.txt"), "Inside a folder\n\nNamed like a post.\n");
    // broken images beside posts: each post rejected with its image, or published with a real one
    Random random = new Random(42);
    List<byte[]> images = List.of(new byte[0], new byte[] {(byte) 0x89, 'P', 'N'}, "GIF89a".getBytes(),
        new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, randomBytes(random, 4096),
        new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'});
    for (int i = 0; i < images.size(); i++) {
      Files.write(inbox.resolve("image-" + i + ".png"), images.get(i));
      Files.writeString(inbox.resolve("imaged-" + i + ".md"),
          "---\ntitle: Imaged " + i + "\nimage: image-" + i + ".png\n---\nBody " + i + ".\n");
    }

    try (IngestService ingest = IngestService.start(IngestConfig.from(settings));
        ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();
      socket.bind(UnixDomainSocketAddress.of(inbox.resolve("socket.md")));
      Files.writeString(inbox.resolve("last.txt"), "The last post\n\nA plain file, dropped after all the others.\n");

      await("every entry leaves the inbox").atMost(Duration.ofSeconds(60))
          .until(() -> entries(inbox).equals(List.of("folder.md")) && entries(inbox.resolve("folder.md")).isEmpty());
      assertThat(new Http().status(ingest.healthPort(), "/health")).isEqualTo(200);
    }

    for (String name : List.of("pipe.md", "pipe.mp3", "socket.md", "link-to-pipe.txt", "zeros.md", "null.m4a",
        "cover-pipe.png", "with-pipe-image.md")) {
      assertThat(rejected.resolve(name + ".reason.txt")).as("reason for %s", name).exists();
    }
    assertThat(Files.readString(rejected.resolve("pipe.md.reason.txt"))).contains("named pipe");
    assertThat(Files.readString(rejected.resolve("socket.md.reason.txt"))).contains("socket");
    assertThat(Files.readString(rejected.resolve("with-pipe-image.md.reason.txt"))).contains("named pipe");
    assertThat(Files.readString(rejected.resolve("zeros.md.reason.txt"))).contains("outside the inbox");
    assertThat(Files.readString(original)).as("the hard-linked original").contains("Written outside the inbox");
    assertThat(processed.resolve("hard.txt")).exists();
    assertThat(processed.resolve("inside.txt")).exists();
    assertThat(processed.resolve("last.txt")).exists();
    for (int i = 0; i < images.size(); i++) {
      boolean published = Files.exists(processed.resolve("imaged-" + i + ".md"));
      boolean refused = Files.exists(rejected.resolve("imaged-" + i + ".md.reason.txt"));
      assertThat(published ^ refused).as("imaged-%d.md published or rejected, once", i).isTrue();
    }
    assertThat(Files.exists(processed.resolve("imaged-5.md"))).as("the one real PNG header").isTrue();
    assertThat(Files.readString(rejected.resolve("imaged-0.md.reason.txt"))).contains("image-0.png");

    List<PostEvent> events = HostileInboxTest.events(kafka);
    assertThat(events).extracting(PostEvent::title).contains("Hard linked", "Inside a folder", "The last post", "Imaged 5")
        .doesNotContain("Pipe image");
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private static void mkfifo(Path path) throws Exception {
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(p.waitFor()).as("mkfifo %s", path).isZero();
  }

  private static List<String> entries(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
