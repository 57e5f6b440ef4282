package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.MediaRef;
import dev.pressline.events.PostEvent;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Independent clients read what feed-service serves: Debian's python3-feedparser and gPodder's
 * {@code gpo}. CI installs them (.ci/run); where they are missing the tests are skipped and say
 * why.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ExternalClientsTest {

  private static final String PYTHON = "/usr/bin/python3";
  private static final String GPO = "/usr/bin/gpo";

  /** Prints bozo, then one line per check, for both feeds. */
  private static final String FEEDPARSER_SCRIPT =
      String.join(
          "\n",
          "import sys, feedparser",
          "for url in sys.argv[1:]:",
          "    d = feedparser.parse(url)",
          "    print('url', url)",
          "    print('status', d.get('status'))",
          "    print('bozo', bool(d.bozo), repr(d.get('bozo_exception')))",
          "    print('title', d.feed.get('title'))",
          "    print('language', d.feed.get('language'))",
          "    print('explicit', d.feed.get('itunes_explicit'))",
          "    print('podcast_guid', d.feed.get('podcast_guid'))",
          "    for e in d.entries:",
          "        encl = e.get('enclosures') or [{}]",
          "        print('entry', e.get('title'), '|', e.get('id'), '|', e.get('itunes_duration'),"
              + " '|',",
          "              encl[0].get('length'), encl[0].get('type'), '|', len(e.get('content',"
              + " [{}])[0].get('value', '')))");

  @TempDir Path dir;

  @Test
  void feedparserReadsBothFeedsWithoutComplaint(KafkaBroker broker) throws Exception {
    ExternalTool.assumePresent(
        feedparserInstalled(),
        "Debian's python3-feedparser is not installed (apt-get install python3-feedparser); "
            + "independent parser check skipped");
    KafkaSettings kafka = broker.freshSettings();
    int port = freePort();
    Path media = Files.createDirectories(dir.resolve("media"));
    FeedConfig config =
        FeedConfig.from(
            RunningFeed.settings(
                kafka,
                media,
                Map.of(
                    FeedConfig.PORT,
                    Integer.toString(port),
                    FeedConfig.PUBLIC_BASE_URL,
                    "http://127.0.0.1:" + port)));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      List<String> titles = Posts.seedTitles();
      for (int i = 0; i < titles.size(); i++) {
        posts.send(Posts.post("seed-" + i, titles.get(i), now.minusSeconds(600 - i)));
      }
      posts.send(
          Posts.episode(
              "ep-1",
              "Episode – “one”",
              now.minusSeconds(60),
              new MediaRef("abc.mp3", "audio/mpeg", 4242, 3725L)));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  new RunningFeed().get(feed, "/feed.xml").body().split("<item>", -1).length == 7);

      ExternalTool.Result result =
          ExternalTool.run(
              List.of(
                  PYTHON,
                  "-c",
                  FEEDPARSER_SCRIPT,
                  feed.localUrl() + "/feed.xml",
                  feed.localUrl() + "/podcast.xml"),
              Map.of());

      assertThat(result.exitCode()).as(result.output()).isZero();
      String out = result.output();
      assertThat(out)
          .contains("bozo False")
          .doesNotContain("bozo True")
          .contains("status 200")
          .contains("title Heart Matters")
          .contains("language en")
          // feedparser 6.0 maps only Apple's old yes/clean values, so true/false both read as None
          .doesNotContain("explicit True")
          .containsPattern("podcast_guid [0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-")
          .contains("entry Episode – “one” | urn:uuid:")
          .contains("| 3725 | 4242 audio/mpeg |");
      for (String title : Posts.seedTitles()) {
        assertThat(out).contains("entry " + title + " |");
      }
      assertThat(out.lines().filter(l -> l.startsWith("entry ")).count()).isEqualTo(6 + 1);
    }
  }

  @Test
  void gpodderSubscribesUpdatesAndDownloadsAnEpisode(KafkaBroker broker) throws Exception {
    ExternalTool.assumePresent(
        ExternalTool.installed(GPO),
        "gPodder's gpo is not installed (apt-get install gpodder); podcast client check skipped");
    KafkaSettings kafka = broker.freshSettings();
    int port = freePort();
    Path media = Files.createDirectories(dir.resolve("media"));
    byte[] audio = new byte[48_000];
    for (int i = 0; i < audio.length; i++) {
      audio[i] = (byte) (i % 251);
    }
    Files.write(media.resolve("cafe01.mp3"), audio);
    Files.write(media.resolve("cafe02.mp3"), audio);
    FeedConfig config =
        FeedConfig.from(
            RunningFeed.settings(
                kafka,
                media,
                Map.of(
                    FeedConfig.PORT,
                    Integer.toString(port),
                    FeedConfig.PUBLIC_BASE_URL,
                    "http://127.0.0.1:" + port)));
    Path home = Files.createDirectories(dir.resolve("gpodder"));
    Path downloads = Files.createDirectories(dir.resolve("downloads"));
    Map<String, String> env =
        Map.of(
            "HOME",
            home.toString(),
            "GPODDER_HOME",
            home.toString(),
            "GPODDER_DOWNLOAD_DIR",
            downloads.toString());
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      PostEvent first =
          Posts.episode(
              "first-episode",
              "First episode",
              now.minusSeconds(120),
              new MediaRef("cafe01.mp3", "audio/mpeg", audio.length, 60L));
      posts.send(first);
      String podcastUrl = feed.localUrl().replace("localhost", "127.0.0.1") + "/podcast.xml";
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> new RunningFeed().get(feed, "/podcast.xml").body().contains("First episode"));

      ExternalTool.Result subscribe = gpo(env, "subscribe", podcastUrl);
      assertThat(subscribe.output())
          .as(subscribe.output())
          .doesNotContainIgnoringCase("error")
          .doesNotContain("Traceback");
      ExternalTool.Result list = gpo(env, "episodes", podcastUrl);
      assertThat(list.output()).contains("First episode");

      posts.send(Posts.updated(first, "<p>Corrected show notes</p>", now.minusSeconds(30)));
      posts.send(
          Posts.episode(
              "second-episode",
              "Second episode",
              now.minusSeconds(10),
              new MediaRef("cafe02.mp3", "audio/mpeg", audio.length, 60L)));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> new RunningFeed().get(feed, "/podcast.xml").body().contains("Second episode"));

      ExternalTool.Result update = gpo(env, "update", podcastUrl);
      assertThat(update.output())
          .as(update.output())
          .doesNotContainIgnoringCase("error")
          .doesNotContain("Traceback");
      ExternalTool.Result episodes = gpo(env, "episodes", podcastUrl);
      // the corrected first episode kept its GUID: still one entry, not a second copy
      assertThat(episodes.output().split("First episode", -1)).as(episodes.output()).hasSize(2);
      assertThat(episodes.output()).contains("Second episode");

      ExternalTool.Result download = gpo(env, "download", podcastUrl);
      assertThat(download.output())
          .as(download.output())
          .doesNotContainIgnoringCase("error")
          .doesNotContain("Traceback")
          .doesNotContainIgnoringCase("failed");
      try (Stream<Path> files = Files.walk(downloads)) {
        List<Path> mp3s = files.filter(p -> p.toString().endsWith(".mp3")).toList();
        assertThat(mp3s).as(download.output()).hasSize(2);
        for (Path mp3 : mp3s) {
          assertThat(Files.readAllBytes(mp3)).isEqualTo(audio);
        }
      }
    }
  }

  private ExternalTool.Result gpo(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(GPO));
    command.addAll(List.of(args));
    ExternalTool.Result result = ExternalTool.run(command, env);
    assertThat(result.exitCode()).as(String.join(" ", command) + "\n" + result.output()).isZero();
    return result;
  }

  private static boolean feedparserInstalled() {
    if (!ExternalTool.installed(PYTHON)) {
      return false;
    }
    try {
      return ExternalTool.run(List.of(PYTHON, "-c", "import feedparser"), Map.of()).exitCode() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
