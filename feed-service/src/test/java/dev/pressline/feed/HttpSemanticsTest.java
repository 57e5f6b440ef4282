package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.MediaRef;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class HttpSemanticsTest {

  private final RunningFeed client = new RunningFeed();

  @TempDir Path dir;

  @Test
  void feedsAnswerConditionalRequestsCompressAndHead(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media(), Map.of()));
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      posts.send(Posts.post("one", "One", Instant.now().minusSeconds(60)));
      posts.send(
          Posts.episode(
              "two",
              "Two",
              Instant.now().minusSeconds(30),
              new MediaRef("a.mp3", "audio/mpeg", 9, 9L)));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  client.get(feed, "/feed.xml").body().contains("One")
                      && client.get(feed, "/podcast.xml").body().contains("Two"));

      for (String path : new String[] {"/feed.xml", "/podcast.xml", "/", "/posts/one"}) {
        HttpResponse<byte[]> full = client.getBytes(feed, path);
        assertThat(full.statusCode()).as(path).isEqualTo(200);
        String etag = full.headers().firstValue("ETag").orElseThrow();
        String lastModified = full.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(etag).as("strong ETag").startsWith("\"");
        assertThat(full.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(full.headers().firstValue("Content-Type").orElseThrow())
            .endsWith("charset=utf-8");

        HttpResponse<byte[]> byTag = client.getBytes(feed, path, "If-None-Match", etag);
        assertThat(byTag.statusCode()).as(path + " If-None-Match").isEqualTo(304);
        assertThat(byTag.body()).isEmpty();
        assertThat(byTag.headers().firstValue("ETag")).hasValue(etag);
        assertThat(client.getBytes(feed, path, "If-Modified-Since", lastModified).statusCode())
            .isEqualTo(304);
        assertThat(client.getBytes(feed, path, "If-None-Match", "\"other\"").statusCode())
            .isEqualTo(200);
        assertThat(
                client
                    .getBytes(feed, path, "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")
                    .statusCode())
            .isEqualTo(200);

        HttpResponse<byte[]> gz = client.getBytes(feed, path, "Accept-Encoding", "gzip, deflate");
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gz.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(gunzip(gz.body())).isEqualTo(full.body());
        String gzTag = gz.headers().firstValue("ETag").orElseThrow();
        assertThat(gzTag).isNotEqualTo(etag);
        assertThat(
                client
                    .getBytes(feed, path, "Accept-Encoding", "gzip", "If-None-Match", gzTag)
                    .statusCode())
            .isEqualTo(304);

        HttpResponse<byte[]> head =
            client.send(feed, "HEAD", path, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(full.body().length);
        assertThat(head.headers().firstValue("ETag")).hasValue(etag);
      }
      HttpResponse<String> post =
          client.send(feed, "POST", "/feed.xml", HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }
  }

  @Test
  void notModifiedCarriesTheCurrentValidatorsAndEndsWhenTheFeedChanges(KafkaBroker broker)
      throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media(), Map.of()));
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      posts.send(Posts.post("one", "One", Instant.now().minusSeconds(60)));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> client.get(feed, "/feed.xml").body().contains("One"));
      HttpResponse<byte[]> plain = client.getBytes(feed, "/feed.xml");
      HttpResponse<byte[]> gzip = client.getBytes(feed, "/feed.xml", "Accept-Encoding", "gzip");
      String etag = plain.headers().firstValue("ETag").orElseThrow();
      String gzipEtag = gzip.headers().firstValue("ETag").orElseThrow();

      HttpResponse<byte[]> notModified = client.getBytes(feed, "/feed.xml", "If-None-Match", etag);
      assertThat(notModified.statusCode()).isEqualTo(304);
      assertThat(notModified.headers().firstValue("ETag")).hasValue(etag);
      assertThat(notModified.headers().firstValue("Last-Modified"))
          .isEqualTo(plain.headers().firstValue("Last-Modified"));
      assertThat(notModified.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
      assertThat(notModified.headers().firstValue("Vary")).hasValue("Accept-Encoding");
      // as nginx answers: no Content-Length at all. RFC 9110 8.6 would allow the 200's length, but
      // clients such as wrk then wait for a body that never comes
      assertThat(notModified.headers().firstValue("Content-Length")).isEmpty();
      HttpResponse<byte[]> gzipNotModified =
          client.getBytes(
              feed, "/feed.xml", "Accept-Encoding", "gzip", "If-None-Match", "\"x\", " + gzipEtag);
      assertThat(gzipNotModified.statusCode()).isEqualTo(304);
      assertThat(gzipNotModified.headers().firstValue("ETag")).hasValue(gzipEtag);
      assertThat(gzipNotModified.headers().firstValue("Content-Length")).isEmpty();
      // on the wire, two 304s in a row on one connection: the first ends with its header
      try (Socket socket = new Socket("localhost", feed.httpPort())) {
        socket.setSoTimeout(10_000);
        String request =
            "GET /feed.xml HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: " + etag + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write((request + request).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        for (int i = 0; i < 2; i++) {
          String head = responseHead(in);
          assertThat(head).startsWith("HTTP/1.1 304");
          assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("content-length");
        }
      }
      assertThat(client.getBytes(feed, "/feed.xml", "If-None-Match", gzipEtag).statusCode())
          .as("the gzip tag does not validate the plain body")
          .isEqualTo(200);

      posts.send(Posts.post("two", "Two", Instant.now().minusSeconds(30)));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> client.get(feed, "/feed.xml").body().contains("Two"));
      HttpResponse<byte[]> changed = client.getBytes(feed, "/feed.xml", "If-None-Match", etag);
      assertThat(changed.statusCode()).isEqualTo(200);
      String newEtag = changed.headers().firstValue("ETag").orElseThrow();
      assertThat(newEtag).isNotEqualTo(etag);
      assertThat(client.getBytes(feed, "/feed.xml", "If-None-Match", newEtag).headers()
              .firstValue("ETag"))
          .hasValue(newEtag);
    }
  }

  @Test
  void mediaServesByteRangesAndStaysInsideTheStore(KafkaBroker broker) throws Exception {
    Path media = media();
    byte[] audio = new byte[10_000];
    for (int i = 0; i < audio.length; i++) {
      audio[i] = (byte) (i * 7);
    }
    Files.write(media.resolve("abc.mp3"), audio);
    Files.writeString(dir.resolve("secret.txt"), "top secret");
    Files.createSymbolicLink(media.resolve("link.txt"), dir.resolve("secret.txt"));
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of()));
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC())) {
      HttpResponse<byte[]> full = client.getBytes(feed, "/media/abc.mp3");
      assertThat(full.statusCode()).isEqualTo(200);
      assertThat(full.body()).isEqualTo(audio);
      assertThat(full.headers().firstValue("Accept-Ranges")).hasValue("bytes");
      assertThat(full.headers().firstValueAsLong("Content-Length")).hasValue(10_000);
      assertThat(full.headers().firstValue("Content-Type").orElseThrow()).startsWith("audio/mpeg");
      String etag = full.headers().firstValue("ETag").orElseThrow();
      assertThat(client.getBytes(feed, "/media/abc.mp3", "If-None-Match", etag).statusCode())
          .isEqualTo(304);

      HttpResponse<byte[]> first = client.getBytes(feed, "/media/abc.mp3", "Range", "bytes=0-99");
      assertThat(first.statusCode()).isEqualTo(206);
      assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-99/10000");
      assertThat(first.headers().firstValueAsLong("Content-Length")).hasValue(100);
      assertThat(first.body()).isEqualTo(Arrays.copyOfRange(audio, 0, 100));

      HttpResponse<byte[]> suffix = client.getBytes(feed, "/media/abc.mp3", "Range", "bytes=-500");
      assertThat(suffix.statusCode()).isEqualTo(206);
      assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes 9500-9999/10000");
      assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(audio, 9500, 10_000));

      HttpResponse<byte[]> open = client.getBytes(feed, "/media/abc.mp3", "Range", "bytes=9000-");
      assertThat(open.statusCode()).isEqualTo(206);
      assertThat(open.body()).isEqualTo(Arrays.copyOfRange(audio, 9000, 10_000));

      HttpResponse<byte[]> beyond =
          client.getBytes(feed, "/media/abc.mp3", "Range", "bytes=20000-30000");
      assertThat(beyond.statusCode()).isEqualTo(416);
      assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */10000");

      for (String escape :
          new String[] {
            "/media/../secret.txt",
            "/media/%2e%2e/secret.txt",
            "/media/..%2fsecret.txt",
            "/media/%2e%2e%2fsecret.txt",
            "/media/link.txt",
            "/media/",
            "/media/..%5csecret.txt"
          }) {
        HttpResponse<String> response = client.get(feed, escape);
        assertThat(response.statusCode()).as(escape).isIn(400, 403, 404);
        assertThat(response.body()).as(escape).doesNotContain("top secret");
      }
    }
  }

  @Test
  void largeCatalogueIsPagedPerRfc5005(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config =
        FeedConfig.from(RunningFeed.settings(kafka, media(), Map.of(FeedConfig.PAGE_SIZE, "2")));
    Instant base = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      for (int i = 1; i <= 5; i++) {
        posts.send(Posts.post("p" + i, "Post " + i, base.plusSeconds(i)));
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  client.get(feed, "/feed.xml?page=3").statusCode() == 200
                      && client.get(feed, "/feed.xml?page=3").body().contains("Post 1"));

      String first = client.get(feed, "/feed.xml").body();
      assertThat(FeedServiceTest.parse(first.getBytes(StandardCharsets.UTF_8)).getEntries())
          .extracting(e -> e.getTitle())
          .containsExactly("Post 5", "Post 4");
      assertThat(first)
          .contains("rel=\"next\"")
          .contains("https://news.example.org/feed.xml?page=2")
          .contains("rel=\"last\"")
          .doesNotContain("rel=\"previous\"");
      String last = client.get(feed, "/feed.xml?page=3").body();
      assertThat(FeedServiceTest.parse(last.getBytes(StandardCharsets.UTF_8)).getEntries())
          .extracting(e -> e.getTitle())
          .containsExactly("Post 1");
      assertThat(last).contains("rel=\"previous\"").doesNotContain("rel=\"next\"");
      assertThat(client.get(feed, "/feed.xml?page=4").statusCode()).isEqualTo(404);

      // the archive pages follow the same paging
      String home = client.get(feed, "/").body();
      assertThat(home)
          .contains("Post 5")
          .contains("Post 4")
          .doesNotContain("Post 3")
          .contains("<a rel=\"next\" href=\"https://news.example.org/?page=2\">");
      String archive = client.get(feed, "/?page=3").body();
      assertThat(archive)
          .contains("Post 1")
          .doesNotContain("Post 2")
          .contains("page 3 of 3")
          .contains("<a rel=\"prev\" href=\"https://news.example.org/?page=2\">");
      assertThat(client.get(feed, "/?page=4").statusCode()).isEqualTo(404);
      assertThat(client.get(feed, "/feed.xml?page=zero").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void podcastFeedListsOnlyEpisodesWithExactEnclosures(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media(), Map.of()));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      posts.send(Posts.post("text", "Just text", now.minusSeconds(20)));
      posts.send(
          Posts.episode(
              "ep",
              "An episode",
              now.minusSeconds(10),
              new MediaRef("f00d.mp3", "audio/mpeg", 4242, 95L)));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  client.get(feed, "/feed.xml").body().contains("Just text")
                      && client.get(feed, "/podcast.xml").body().contains("An episode"));

      String podcast = client.get(feed, "/podcast.xml").body();
      assertThat(podcast)
          .doesNotContain("Just text")
          .contains(
              "<enclosure url=\"https://news.example.org/media/f00d/ep.mp3\" length=\"4242\""
                  + " type=\"audio/mpeg\"")
          .contains("<itunes:duration>95</itunes:duration>")
          .contains("<itunes:explicit>true</itunes:explicit>")
          .contains("<podcast:guid>");
    }
  }

  private Path media() throws Exception {
    return Files.createDirectories(dir.resolve("media"));
  }

  private static byte[] gunzip(byte[] bytes) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }

  /** One response's status line and header fields, read up to the empty line that ends them. */
  private static String responseHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
