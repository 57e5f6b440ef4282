package dev.pressline.outside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Editors' tools write files in many ways: all at once and renamed, in parts with the file held
 * open (SMB, NFS, scp on a slow link), in several opens and closes, slowly. Whatever the writer,
 * the post that is published is exactly the file that ends up in {@code processed/}.
 */
@ExtendWith(LaunchedPipeline.Extension.class)
class InboxWritersTest {

  private static final Pattern CONTENT_HASH = Pattern.compile("(?m)^Content hash:\\s*([0-9a-f]{64})\\s*$");

  private final Web web = new Web();

  @AfterEach
  void everyReceiptMatchesTheFileBesideIt(LaunchedPipeline pipeline) throws IOException {
    try (Stream<Path> files = Files.list(pipeline.processed())) {
      for (Path receipt : files.filter(p -> p.toString().endsWith(".receipt.txt")).toList()) {
        Matcher m = CONTENT_HASH.matcher(Files.readString(receipt));
        if (!m.find()) {
          continue; // a duplicate's receipt names the post it repeats, not a hash of its own
        }
        String name = receipt.getFileName().toString().replaceFirst("\\.receipt\\.txt$", "");
        Path post = receipt.resolveSibling(name);
        if (name.endsWith(".md") && Files.readString(post).contains("audio:")) {
          continue; // an episode's hash also covers its audio
        }
        assertThat(m.group(1))
            .as("the receipt of %s names the hash of the file beside it", name)
            .isEqualTo(sha256(Files.readAllBytes(post)));
      }
    }
  }

  @Test
  void aFileHeldOpenIsNotTakenUntilItsWriterClosesIt(LaunchedPipeline pipeline) throws Exception {
    String name = "held-open.md";
    Path target = pipeline.inbox().resolve(name);
    String first = "# Written in two parts\n\nThe first part arrives, then the writer pauses.\n";
    String second = "\nThe second part arrives after the pause: HELD-OPEN-END.\n";
    try (FileChannel writer = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      writer.write(ByteBuffer.wrap(first.getBytes(StandardCharsets.UTF_8)));
      writer.force(true);
      // ten times the default settle time: a writer on a slow link pauses this long, file still open
      await("the half-written file stays in the inbox while its writer holds it open")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> Files.exists(target) && !Files.exists(pipeline.processed().resolve(name)));
      writer.write(ByteBuffer.wrap(second.getBytes(StandardCharsets.UTF_8)));
    }
    String published = awaitPublished(pipeline, name, "written-in-two-parts", "HELD-OPEN-END");
    assertThat(published).contains("HELD-OPEN-END");
    assertThat(Files.readString(pipeline.processed().resolve(name))).isEqualTo(first + second);
  }

  @Test
  void aFileAppendedInSeveralOpensIsPublishedAsItEndsUp(LaunchedPipeline pipeline) throws Exception {
    String name = "appended.md";
    Path target = pipeline.inbox().resolve(name);
    List<String> parts =
        List.of(
            "# Appended in three sittings\n\nFirst sitting.\n",
            "\nSecond sitting.\n",
            "\nThird sitting: APPENDED-END.\n");
    for (String part : parts) {
      Files.writeString(target, part, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      // the editor's tool closes the file and comes back a moment later, as a sync client does
      // (well inside the settle time, so the file is complete only after the last sitting)
      TimeUnit.MILLISECONDS.sleep(50);
    }
    String published = awaitPublished(pipeline, name, "appended-in-three-sittings", "APPENDED-END");
    assertThat(published).contains("APPENDED-END");
  }

  @Test
  void anAtomicallyRenamedFileIsTaken(LaunchedPipeline pipeline) throws Exception {
    String name = "renamed.md";
    Path part = pipeline.inbox().resolve(name + ".part");
    Files.writeString(part, "# Renamed into place\n\nWritten whole, then renamed: RENAMED-END.\n");
    Files.move(part, pipeline.inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    assertThat(awaitPublished(pipeline, name, "renamed-into-place", "RENAMED-END")).contains("RENAMED-END");
  }

  @Test
  void aLargeFileCopiedSlowlyIsPublishedWhole(LaunchedPipeline pipeline) throws Exception {
    String name = "slow-copy.md";
    StringBuilder text = new StringBuilder("# Copied slowly\n\n");
    for (int i = 0; text.length() < 400_000; i++) {
      text.append("Paragraph ").append(i).append(" of a long essay, copied over a slow link. ")
          .append("It goes on for a while so that the copy takes several seconds.\n\n");
    }
    text.append("SLOW-COPY-END\n");
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    Path target = pipeline.inbox().resolve(name);
    try (FileChannel writer = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      int chunk = bytes.length / 20 + 1;
      for (int offset = 0; offset < bytes.length; offset += chunk) {
        writer.write(ByteBuffer.wrap(bytes, offset, Math.min(chunk, bytes.length - offset)));
        // a slow link: about 4 s for the whole file, each pause longer than the settle time
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
    assertThat(awaitPublished(pipeline, name, "copied-slowly", "SLOW-COPY-END")).contains("SLOW-COPY-END");
    Matcher m = CONTENT_HASH.matcher(Files.readString(pipeline.processed().resolve(name + ".receipt.txt")));
    assertThat(m.find()).isTrue();
    assertThat(m.group(1)).as("the published hash is the whole file's").isEqualTo(sha256(bytes));
  }

  /** Waits for {@code name} in processed/ and returns its post page as published. */
  private String awaitPublished(LaunchedPipeline pipeline, String name, String slug, String lastWords) {
    await(name + " processed and published as /posts/" + slug)
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                Files.exists(pipeline.processed().resolve(name + ".receipt.txt"))
                    && web.status(pipeline.feedBase() + "/posts/" + slug) == 200);
    // the page follows the topic: an update after a re-read reaches it a moment later
    return await("the post page of " + slug + " with the file's last words")
        .atMost(Duration.ofSeconds(30))
        .until(() -> web.text(pipeline.feedBase() + "/posts/" + slug), page -> page.contains(lastWords));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
