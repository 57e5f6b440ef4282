package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.MediaRef;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class WebPagesTest {

  private final RunningFeed client = new RunningFeed();

  @TempDir Path media;

  @Test
  void postPageEscapesTextAndKeepsOnlySafeMarkup(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config =
        FeedConfig.from(
            RunningFeed.settings(
                kafka, media, Map.of(FeedConfig.PUBLISHER_BASE_URL, "https://mail.example.org")));
    Instant at = Instant.parse("2026-01-15T10:00:00Z");
    PostEvent hostile =
        PostEvent.builder()
            .schemaVersion(1)
            .change(PostChange.PUBLISHED)
            .slug("hostile")
            .title("<script>alert('t')</script> “Quotes” & more")
            .author("<b>Eve</b>")
            .summary("<img src=x onerror=alert(1)>")
            .html("<p>Safe <em>text</em></p><script>alert(2)</script><a"
                + " href=\"javascript:alert(3)\">x</a><img src=\"https://img.example.org/a.png\""
                + " onerror=\"alert(4)\">")
            .text("Safe text")
            .publishAt(at)
            .tags(List.of("<tag>"))
            .email(true)
            .contentHash("h")
            .sourceFile("hostile.md")
            .ingestedAt(at)
            .build();
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      posts.send(hostile);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> client.get(feed, "/posts/hostile").statusCode() == 200);

      HttpResponse<String> page = client.get(feed, "/posts/hostile");
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("default-src 'none'")
          .contains("form-action 'self' https://mail.example.org");
      String html = page.body();
      assertThat(html)
          .contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; “Quotes” &amp; more")
          .contains("&lt;b&gt;Eve&lt;/b&gt;")
          .contains("<p>Safe <em>text</em></p>")
          .contains("&lt;tag&gt;")
          .doesNotContain("<script>alert")
          .doesNotContain("javascript:")
          .doesNotContain("onerror")
          .contains(
              "<form class=\"subscribe\" method=\"post\""
                  + " action=\"https://mail.example.org/subscribe\">")
          .contains("<label for=\"subscribe-email\">")
          .contains("<html lang=\"en\">")
          .contains("name=\"viewport\"");
      String index = client.get(feed, "/").body();
      assertThat(index)
          .contains("href=\"https://news.example.org/posts/hostile\"")
          .contains("&lt;script&gt;")
          .doesNotContain("<script>alert")
          .contains("&lt;img src=x onerror=alert(1)&gt;")
          .doesNotContain("<img src=x")
          .contains("action=\"https://mail.example.org/subscribe\"");
    }
  }

  @Test
  void episodePageHasAnAudioPlayerAndUnknownPagesAnswer404(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config = FeedConfig.from(RunningFeed.settings(kafka, media, Map.of()));
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      posts.send(
          Posts.episode(
              "ep-1",
              "Episode one",
              Instant.now().minusSeconds(5),
              new MediaRef("beef.mp3", "audio/mpeg", 1234, 1800L)));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> client.get(feed, "/posts/ep-1").statusCode() == 200);

      String html = client.get(feed, "/posts/ep-1").body();
      assertThat(html)
          .contains(
              "<audio controls preload=\"none\" src=\"https://news.example.org/media/beef/ep-1.mp3\">")
          .contains("(30 min)");
      HttpResponse<String> missing = client.get(feed, "/posts/nothing-here");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("Not found").contains("<html lang=\"en\">");
      assertThat(client.get(feed, "/elsewhere").statusCode()).isEqualTo(404);
    }
  }
}
