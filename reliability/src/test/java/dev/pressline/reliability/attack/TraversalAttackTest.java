package dev.pressline.reliability.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Path traversal and symbolic links through media URLs, slugs, file names and the files a post
 * names: nothing outside the media store is ever served, and nothing outside the inbox is ever read.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraversalAttackTest {

  private static final String SECRET = "TOP-SECRET-5f1c do not publish";

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

  private Path root;
  private RunningPipeline pipeline;
  private Path secretFile;
  private final Http http = new Http();

  @BeforeAll
  void start(KafkaBroker broker, @TempDir Path tempDir) throws Exception {
    root = tempDir;
    pipeline = new RunningPipeline(broker.freshSettings(), smtp.getSmtp().getPort(), root.resolve("pipeline"), Map.of());
    Path outside = Files.createDirectories(root.resolve("outside"));
    secretFile = Files.writeString(outside.resolve("secret.txt"), "Secret title\n\n" + SECRET + "\n");
    Files.writeString(outside.resolve("secret.mp3"), SECRET);
  }

  @AfterAll
  void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void mediaAndPostUrlsCannotLeaveTheMediaStore() throws Exception {
    Files.createDirectories(pipeline.media);
    // the media store sits beside the pipeline's other folders: the inbox's processed posts are "../processed/…"
    Files.writeString(pipeline.media.resolve("../media-neighbour.txt"), SECRET);
    String[] paths = {
        "/media/../media-neighbour.txt", "/media/..%2fmedia-neighbour.txt", "/media/%2e%2e/media-neighbour.txt",
        "/media/%2e%2e%2fmedia-neighbour.txt", "/media/..%5cmedia-neighbour.txt", "/media/....//media-neighbour.txt",
        "/media/%252e%252e/media-neighbour.txt", "/media/..;/media-neighbour.txt", "/media/%c0%ae%c0%ae/media-neighbour.txt",
        "/media/../../../../../../etc/passwd", "/media//etc/passwd", "/media/%2fetc%2fpasswd", "/media/file%00.mp3",
        "/media/" + secretFile.toString(), "/posts/../media-neighbour.txt", "/posts/..%2f..%2fetc%2fpasswd",
        "/posts/%2e%2e", "/posts/", "/media/", "/media/.", "/./media/../media-neighbour.txt", "/feed.xml/../../etc/passwd"};
    for (String path : paths) {
      String response = raw(pipeline.feed.httpPort(), path);
      assertThat(response).as("GET %s", path).doesNotContain(SECRET).doesNotContain("root:x:0:0");
      assertThat(response).as("GET %s", path).doesNotStartWith("HTTP/1.1 5");
    }
  }

  @Test
  void aSymbolicLinkPlacedInTheMediaStoreIsNotFollowedOutOfIt() throws Exception {
    Files.createDirectories(pipeline.media);
    Path link = pipeline.media.resolve("0000000000000000000000000000000000000000000000000000000000000000.mp3");
    Files.createSymbolicLink(link, secretFile);
    try {
      String response = raw(pipeline.feed.httpPort(), "/media/" + link.getFileName());
      assertThat(response).as("the linked file's content").doesNotContain(SECRET);
    } finally {
      Files.delete(link);
    }
  }

  @Test
  void aSymbolicLinkInTheInboxPointingOutsideIsRejected() throws Exception {
    Files.createDirectories(pipeline.inbox);
    Files.createSymbolicLink(pipeline.inbox.resolve("linked.txt"), secretFile);
    await("the link is dealt with").atMost(Duration.ofSeconds(30))
        .until(() -> !Files.exists(pipeline.inbox.resolve("linked.txt"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertThat(pipeline.rejected.resolve("linked.txt.reason.txt")).exists();
    assertThat(secretFile).as("the target outside is left alone").exists();
    assertThat(http.get(pipeline.feed.httpPort(), "/feed.xml").body()).doesNotContain(SECRET);
  }

  @Test
  void filesAPostNamesCannotBeOutsideTheInbox() throws Exception {
    String[][] posts = {
        {"audio-up.md", "---\ntitle: Audio up\naudio: ../outside/secret.mp3\n---\nbody\n"},
        {"audio-abs.md", "---\ntitle: Audio absolute\naudio: " + root.resolve("outside/secret.mp3") + "\n---\nbody\n"},
        {"image-up.md", "---\ntitle: Image up\nimage: ../../outside/secret.png\n---\nbody\n"},
        {"image-url.md", "---\ntitle: Image file url\nimage: file:///etc/passwd\n---\nbody\n"},
        {"slug-up.md", "---\ntitle: Slug up\nslug: ../../media/evil\n---\nbody\n"},
        {"slug-encoded.md", "---\ntitle: Slug encoded\nslug: '%2e%2e%2fevil'\n---\nbody\n"},
        {"slug-backslash.md", "---\ntitle: Slug backslash\nslug: '..\\\\evil'\n---\nbody\n"}};
    for (String[] post : posts) {
      pipeline.drop(post[0], post[1]);
      assertThat(pipeline.rejected.resolve(post[0] + ".reason.txt")).as("reason for %s", post[0]).exists();
    }
    assertThat(http.get(pipeline.feed.httpPort(), "/feed.xml").body()).doesNotContain(SECRET).doesNotContain("evil");
    try (var media = Files.list(pipeline.media)) {
      assertThat(media.filter(p -> !p.getFileName().toString().startsWith("0000")).map(p -> {
        try {
          return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
          return "";
        }
      })).as("media store content").noneMatch(c -> c.contains(SECRET));
    }
  }

  /** A GET sent byte for byte as written, so no client library tidies the path first. */
  private static String raw(int port, String path) {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "connection dropped: " + e.getMessage();
    }
  }
}
