package dev.pressline.publisher;

import dev.pressline.publisher.admin.PublisherAdmin;
import dev.pressline.support.config.Settings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs publisher-service on its own: configuration from the environment, one shutdown path. */
public final class PublisherMain {

  private static final Logger log = LoggerFactory.getLogger(PublisherMain.class);

  private PublisherMain() {}

  public static void main(String[] args) {
    if (args.length > 0) {
      // an operator command (import, export, report, retry-failed) instead of the service
      PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
      PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
      System.exit(PublisherAdmin.run(Settings.fromEnvironment(), out, err, args));
    }
    PublisherConfig config = PublisherConfig.from(Settings.fromEnvironment());
    PublisherService service = PublisherService.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "publisher-shutdown"));
    log.info("publisher-service started: subscribe at {}/subscribe, health on port {}, Kafka {}, SMTP {}:{}",
        config.baseUrl(), service.httpPort(), config.kafka().bootstrapServers(), config.smtp().host(),
        config.smtp().port());
  }
}
