package dev.pressline.feed;

import static org.awaitility.Awaitility.await;

import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.KafkaSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Starts feed-service for a test against the real broker and talks to it over real HTTP. */
final class RunningFeed {

  private final HttpClient http = HttpClient.newHttpClient();

  static Settings settings(KafkaSettings kafka, Path mediaDir, Map<String, String> extra) {
    Map<String, String> values = bareValues(kafka, mediaDir);
    values.put(FeedConfig.CHANNEL_OWNER_EMAIL, "owner@example.org");
    values.put(FeedConfig.CHANNEL_IMAGE_URL, "https://news.example.org/media/cover.jpg");
    values.putAll(extra);
    return Settings.of(values);
  }

  /** The settings a test needs, without the channel's owner email and cover art. */
  static Map<String, String> bareValues(KafkaSettings kafka, Path mediaDir) {
    Map<String, String> values = new HashMap<>();
    values.put(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers());
    values.put(KafkaSettings.TOPIC_PREFIX, kafka.topics().prefix());
    values.put(FeedConfig.PORT, "0");
    values.put(FeedConfig.MEDIA_DIR, mediaDir.toString());
    values.put(FeedConfig.PUBLIC_BASE_URL, "https://news.example.org");
    values.put(FeedConfig.CHANNEL_TITLE, "Heart Matters");
    return values;
  }

  static FeedService startReady(FeedConfig config, Clock clock) {
    FeedService service = FeedService.start(config, clock);
    await().atMost(Duration.ofSeconds(60)).until(service::isReady);
    return service;
  }

  HttpResponse<String> get(FeedService service, String path, String... headers) {
    return send(service, "GET", path, HttpResponse.BodyHandlers.ofString(), headers);
  }

  HttpResponse<byte[]> getBytes(FeedService service, String path, String... headers) {
    return send(service, "GET", path, HttpResponse.BodyHandlers.ofByteArray(), headers);
  }

  <T> HttpResponse<T> send(
      FeedService service,
      String method,
      String path,
      HttpResponse.BodyHandler<T> handler,
      String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(service.localUrl() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return http.send(request.build(), handler);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
