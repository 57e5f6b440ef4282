package dev.pressline.publisher;

import dev.pressline.support.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs publisher-service on its own: configuration from the environment, one shutdown path. */
public final class PublisherMain {

  private static final Logger log = LoggerFactory.getLogger(PublisherMain.class);

  private PublisherMain() {}

  public static void main(String[] args) {
    PublisherConfig config = PublisherConfig.from(Settings.fromEnvironment());
    PublisherService service = PublisherService.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "publisher-shutdown"));
    log.info("publisher-service started: subscribe at {}/subscribe, health on port {}, Kafka {}, SMTP {}:{}",
        config.baseUrl(), service.httpPort(), config.kafka().bootstrapServers(), config.smtp().host(),
        config.smtp().port());
  }
}
