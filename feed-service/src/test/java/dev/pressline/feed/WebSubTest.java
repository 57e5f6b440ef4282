package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.pressline.events.MediaRef;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class WebSubTest {

  private final RunningFeed client = new RunningFeed();
  private final List<String> pings = new CopyOnWriteArrayList<>();
  private HttpServer hub;

  @TempDir Path media;

  @BeforeEach
  void startHub() throws Exception {
    hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hub.createContext(
        "/hub",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          pings.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + URLDecoder.decode(body, StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    hub.start();
  }

  @AfterEach
  void stopHub() {
    hub.stop(0);
  }

  @Test
  void namesTheHubAndNotifiesItOfEveryChange(KafkaBroker broker) throws Exception {
    String hubUrl = "http://127.0.0.1:" + hub.getAddress().getPort() + "/hub";
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config =
        FeedConfig.from(RunningFeed.settings(kafka, media, Map.of(FeedConfig.WEBSUB_HUBS, hubUrl)));
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      assertThat(client.get(feed, "/feed.xml").body())
          .contains("href=\"" + hubUrl + "\"")
          .contains("rel=\"hub\"");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> pings.size() >= 2); // the first build announces both
      pings.clear();

      posts.send(Posts.post("fresh", "Fresh", Instant.now().minusSeconds(1)));

      await().atMost(Duration.ofSeconds(5)).until(() -> !pings.isEmpty());
      assertThat(pings)
          .containsExactly(
              "POST application/x-www-form-urlencoded"
                  + " hub.mode=publish&hub.url=https://news.example.org/feed.xml");
      pings.clear();

      posts.send(
          Posts.episode(
              "ep",
              "Episode",
              Instant.now().minusSeconds(1),
              new MediaRef("e.mp3", "audio/mpeg", 1, 1L)));

      await().atMost(Duration.ofSeconds(5)).until(() -> pings.size() == 2);
      assertThat(pings)
          .extracting(p -> p.substring(p.lastIndexOf('=') + 1))
          .containsExactlyInAnyOrder(
              "https://news.example.org/feed.xml", "https://news.example.org/podcast.xml");
    }
  }
}
