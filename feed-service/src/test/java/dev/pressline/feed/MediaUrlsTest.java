package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rometools.modules.itunes.EntryInformation;
import com.rometools.modules.itunes.ITunes;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import dev.pressline.events.MediaRef;
import dev.pressline.events.PostEvent;
import dev.pressline.feed.podcastindex.PodcastIndexModule;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Media URLs with readable names, the old hash-only URLs, and files of retracted episodes. */
@ExtendWith(KafkaBrokerExtension.class)
class MediaUrlsTest {

  private static final String SITE = "https://news.example.org";
  private static final String HASH = "67b516da0c1e245f";
  private static final String SHARED = "5eaa9d1f00c0ffee";

  private final RunningFeed client = new RunningFeed();

  @TempDir Path media;

  @Test
  void episodeFilesHaveReadableNamesAndOldUrlsStillWork(KafkaBroker broker) throws Exception {
    byte[] audio = bytes(10_000);
    Files.write(media.resolve(HASH + ".mp3"), audio);
    Files.writeString(media.resolve(HASH + ".vtt"), "WEBVTT\n");
    Files.write(media.resolve("1ma9e000.jpg"), bytes(300));
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of()));
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      posts.send(withImage(episode("heart-to-heart", HASH + ".mp3", audio.length), "1ma9e000.jpg"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> client.get(feed, "/podcast.xml").body().contains("heart-to-heart"));

      SyndFeed podcast = FeedServiceTest.parse(client.getBytes(feed, "/podcast.xml").body());
      SyndEntry entry = podcast.getEntries().get(0);
      String readable = SITE + "/media/" + HASH + "/heart-to-heart.mp3";
      assertThat(entry.getEnclosures().get(0).getUrl()).isEqualTo(readable);
      assertThat(((PodcastIndexModule) entry.getModule(PodcastIndexModule.URI)).getTranscripts())
          .extracting(t -> t.url())
          .containsExactly(SITE + "/media/" + HASH + "/heart-to-heart.vtt");
      assertThat(((EntryInformation) entry.getModule(ITunes.URI)).getImageUri())
          .isEqualTo(SITE + "/media/1ma9e000/heart-to-heart.jpg");
      assertThat(client.get(feed, "/feed.xml").body()).contains(readable);
      assertThat(client.get(feed, "/posts/heart-to-heart").body())
          .contains(readable)
          .contains(SITE + "/media/1ma9e000/heart-to-heart.jpg");

      HttpResponse<byte[]> full = client.getBytes(feed, path(readable));
      assertThat(full.statusCode()).isEqualTo(200);
      assertThat(full.body()).isEqualTo(audio);
      assertThat(full.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
      String etag = full.headers().firstValue("ETag").orElseThrow();
      assertThat(client.getBytes(feed, path(readable), "If-None-Match", etag).statusCode())
          .isEqualTo(304);
      HttpResponse<byte[]> range = client.getBytes(feed, path(readable), "Range", "bytes=100-199");
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.body()).isEqualTo(Arrays.copyOfRange(audio, 100, 200));
      assertThat(client.get(feed, "/media/" + HASH + "/heart-to-heart.vtt").body())
          .isEqualTo("WEBVTT\n");

      // what subscribers' apps hold from the earlier feeds
      HttpResponse<byte[]> old = client.getBytes(feed, "/media/" + HASH + ".mp3");
      assertThat(old.statusCode()).isEqualTo(200);
      assertThat(old.body()).isEqualTo(audio);
      assertThat(old.headers().firstValue("ETag")).hasValue(etag);

      for (String wrong :
          new String[] {
            "/media/" + HASH + "/heart-to-heart.ogg", // the stored file is an mp3
            "/media/" + HASH + "/heart-to-heart", // no extension at all
            "/media/0000000000000000/heart-to-heart.mp3", // no such content
            "/media/" + HASH + "/a/heart-to-heart.mp3",
            "/media/..%2f" + HASH + "/x.mp3",
            "/media/" + HASH + ".mp3/x.mp3"
          }) {
        assertThat(client.getBytes(feed, wrong).statusCode()).as(wrong).isIn(400, 404);
      }
    }
  }

  @Test
  void retractedEpisodeAudioIsGoneUnlessALivePostUsesTheSameFile(KafkaBroker broker)
      throws Exception {
    Files.write(media.resolve(HASH + ".mp3"), bytes(500));
    Files.writeString(media.resolve(HASH + ".vtt"), "WEBVTT\n");
    Files.write(media.resolve(SHARED + ".mp3"), bytes(700));
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of()));
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      PostEvent alone = episode("alone", HASH + ".mp3", 500);
      PostEvent first = episode("first", SHARED + ".mp3", 700);
      PostEvent second = episode("second", SHARED + ".mp3", 700);
      posts.send(alone);
      posts.send(first);
      posts.send(second);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> client.get(feed, "/podcast.xml").body().contains("/posts/second"));
      assertThat(client.getBytes(feed, "/media/" + HASH + "/alone.mp3").statusCode())
          .isEqualTo(200);

      Instant now = Instant.now();
      posts.send(Posts.retracted(alone, now));
      posts.send(Posts.retracted(first, now));

      String[] gone = {
        "/media/" + HASH + "/alone.mp3", "/media/" + HASH + ".mp3", "/media/" + HASH + "/alone.vtt"
      };
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                for (String path : gone) {
                  assertThat(client.getBytes(feed, path).statusCode()).as(path).isEqualTo(404);
                }
              });
      // "second" is still live and uses the same file as the retracted "first"
      assertThat(client.getBytes(feed, "/media/" + SHARED + "/second.mp3").statusCode())
          .isEqualTo(200);
      assertThat(client.getBytes(feed, "/media/" + SHARED + ".mp3").statusCode()).isEqualTo(200);

      posts.send(Posts.retracted(second, Instant.now()));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> client.getBytes(feed, "/media/" + SHARED + ".mp3").statusCode() == 404);
      // a file no post names (a cover put into the store by hand) is not withheld
      Files.write(media.resolve("cover.jpg"), bytes(50));
      assertThat(client.getBytes(feed, "/media/cover.jpg").statusCode()).isEqualTo(200);
    }
  }

  private static PostEvent episode(String slug, String file, long size) {
    return Posts.episode(
        slug,
        "Episode " + slug,
        Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS),
        new MediaRef(file, "audio/mpeg", size, 60L));
  }

  private static PostEvent withImage(PostEvent p, String image) {
    return p.toBuilder()
        .image(new MediaRef(image, "image/jpeg", 300, null))
        .resend(false)
        .build();
  }

  private static String path(String url) {
    return URI.create(url).getRawPath();
  }

  private static byte[] bytes(int n) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }
}
