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
    FeedConfig config;
    FeedService service;
    try {
      config = FeedConfig.from(Settings.fromEnvironment());
      service = FeedService.start(config);
    } catch (RuntimeException e) {
      // one line an operator can act on before the stack trace
      log.error("feed-service could not start: {}", e.getMessage());
      throw e;
    }
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
        "feed-service listening on {} (public URL {}): feeds {} and {}, media from {} (Kafka {},"
            + " topic {}, progress committed under group {})",
        service.localUrl(),
        config.urls().home(),
        config.urls().feed(),
        config.urls().podcast(),
        config.mediaDir().toAbsolutePath(),
        config.kafka().bootstrapServers(),
        config.kafka().topics().posts(),
        config.progressGroup());
    stopped.await();
  }
}
