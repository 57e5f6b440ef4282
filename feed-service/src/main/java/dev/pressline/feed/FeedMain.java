package dev.pressline.feed;

import dev.pressline.support.config.Settings;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs feed-service on its own: settings from the environment, stopped by Ctrl-C or SIGTERM. */
public final class FeedMain {

  private static final Logger log = LoggerFactory.getLogger(FeedMain.class);

  private FeedMain() {}

  public static void main(String[] args) throws InterruptedException {
    FeedConfig config = FeedConfig.from(Settings.fromEnvironment());
    FeedService service = FeedService.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "feed-shutdown"));
    log.info(
        "feed-service listening on port {}: feeds {} and {}, pages {}, media from {} (Kafka {}, topic {})",
        service.httpPort(),
        config.urls().feed(),
        config.urls().podcast(),
        config.urls().home(),
        config.mediaDir().toAbsolutePath(),
        config.kafka().bootstrapServers(),
        config.kafka().topics().posts());
    stopped.await();
  }
}
