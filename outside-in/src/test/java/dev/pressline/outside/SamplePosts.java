package dev.pressline.outside;

import static org.awaitility.Awaitility.await;

import dev.pressline.ingest.testing.TestMedia;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a new user drops first: the editors' samples from {@code shared/seeds} and one episode (a
 * Markdown post with front matter and an MP3 beside it). Published once per pipeline.
 */
final class SamplePosts {

  static final String EPISODE_TITLE = "Listening at the harbour";
  static final String EPISODE_SLUG = "listening-at-the-harbour";
  static final String EPISODE_AUDIO = "harbour-walk.mp3";
  static final byte[] AUDIO = TestMedia.mp3(42);

  private SamplePosts() {}

  /** Drops the samples unless an earlier test did, and waits until both feeds list them. */
  static synchronized void publish(LaunchedPipeline pipeline) throws IOException {
    List<Path> seeds = seeds();
    if (!Files.exists(pipeline.processed().resolve(EPISODE_AUDIO))
        && !Files.exists(pipeline.inbox().resolve(EPISODE_AUDIO))) {
      for (Path seed : seeds) {
        pipeline.drop(seed.getFileName().toString(), Files.readAllBytes(seed));
      }
      pipeline.drop(EPISODE_AUDIO, AUDIO);
      pipeline.drop(
          "harbour.md",
          String.join(
                  "\n",
                  "---",
                  "title: " + EPISODE_TITLE,
                  "author: Pressline Tests",
                  "audio: " + EPISODE_AUDIO,
                  "summary: Gulls, ropes and the tide, recorded on a Tuesday.",
                  "tags: [harbour, sound]",
                  "---",
                  "",
                  "A walk along the quay at low tide. *Headphones* recommended.",
                  "",
                  "- the ferry horn at 0:12",
                  "- the fish market at 0:30",
                  "")
              .getBytes(StandardCharsets.UTF_8));
    }
    Web web = new Web();
    int expected = seeds.size() + 1;
    await("every sample post in /feed.xml and the episode in /podcast.xml (log: see target/outside-in)")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                countItems(web.text(pipeline.feedBase() + "/feed.xml")) >= expected
                    && web.text(pipeline.feedBase() + "/podcast.xml").contains(EPISODE_TITLE));
  }

  static List<Path> seeds() throws IOException {
    Path dir = Path.of(System.getProperty("pressline.seeds", "../../shared/seeds"));
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
  }

  static int countItems(String xml) {
    return xml.split("<item>", -1).length - 1;
  }
}
