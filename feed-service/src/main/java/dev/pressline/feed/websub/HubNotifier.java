package dev.pressline.feed.websub;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells WebSub hubs that a feed changed, so subscribers hear within seconds instead of at their
 * next poll. Uses the publish ping hubs accept ({@code hub.mode=publish}, {@code hub.url}); a hub
 * that is down costs one log line, the feed itself is unaffected.
 */
public final class HubNotifier {

  private static final Logger log = LoggerFactory.getLogger(HubNotifier.class);

  private final List<URI> hubs;
  private final HttpClient http;

  public HubNotifier(List<URI> hubs) {
    this.hubs = List.copyOf(requireNonNull(hubs, "hubs"));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public boolean enabled() {
    return !hubs.isEmpty();
  }

  /**
   * Notifies every hub that the feed at {@code topicUrl} changed; does not wait for the answers.
   */
  public void feedChanged(String topicUrl) {
    for (URI hub : hubs) {
      String form =
          "hub.mode=publish&hub.url=" + URLEncoder.encode(topicUrl, StandardCharsets.UTF_8);
      HttpRequest request =
          HttpRequest.newBuilder(hub)
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form))
              .build();
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, error) -> {
                if (error != null) {
                  log.warn(
                      "Could not tell WebSub hub {} that {} changed: {}",
                      hub,
                      topicUrl,
                      error.toString());
                } else if (response.statusCode() / 100 != 2) {
                  log.warn(
                      "WebSub hub {} answered {} to the change of {}",
                      hub,
                      response.statusCode(),
                      topicUrl);
                } else {
                  log.info("Told WebSub hub {} that {} changed", hub, topicUrl);
                }
              });
    }
  }
}
