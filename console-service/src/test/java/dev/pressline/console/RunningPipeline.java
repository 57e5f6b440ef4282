package dev.pressline.console;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.pressline.feed.FeedConfig;
import dev.pressline.feed.FeedService;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.IngestService;
import dev.pressline.publisher.PublisherConfig;
import dev.pressline.publisher.PublisherService;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.KafkaSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Ingest, publisher, feed and console started in this JVM against the test broker, with GreenMail as
 * the SMTP server: the services talk only through Kafka, as in production. The console is also told of
 * a service "gone" on a port where nothing listens.
 */
final class RunningPipeline implements AutoCloseable {

  static final String ADMIN_TOKEN = "console-test-admin-token";

  final Path root;
  final int smtpPort;
  GreenMail smtp;
  final IngestService ingest;
  final PublisherService publisher;
  final FeedService feed;
  final ConsoleService console;
  /** Where the service that is never there would be. */
  final String goneUrl;

  RunningPipeline(KafkaSettings kafka, Path root) throws Exception {
    this.root = root;
    this.smtpPort = freePort();
    this.smtp = startSmtp();
    Map<String, String> s = new HashMap<>();
    s.put("PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    s.put("PRESSLINE_TOPIC_PREFIX", kafka.topics().prefix());
    s.put("PRESSLINE_DELIVERIES_PARTITIONS", String.valueOf(kafka.deliveriesPartitions()));
    s.put(IngestConfig.INBOX_DIR, root.resolve("inbox").toString());
    s.put(IngestConfig.PROCESSED_DIR, root.resolve("processed").toString());
    s.put(IngestConfig.REJECTED_DIR, root.resolve("rejected").toString());
    s.put(IngestConfig.MEDIA_DIR, root.resolve("media").toString());
    s.put(IngestConfig.SETTLE_TIME, "200ms");
    s.put(IngestConfig.PORT, "0");
    s.put("PRESSLINE_PUBLISHER_PORT", "0");
    s.put("PRESSLINE_STATE_DIR", root.resolve("state").toString());
    s.put("PRESSLINE_PUBLIC_BASE_URL", "http://localhost:8080");
    s.put("PRESSLINE_SMTP_HOST", "127.0.0.1");
    s.put("PRESSLINE_SMTP_PORT", String.valueOf(smtpPort));
    // a mail server that is away makes deliveries fail quickly, so retry-failed has something to do
    s.put("PRESSLINE_SMTP_MAX_ATTEMPTS", "2");
    s.put("PRESSLINE_SMTP_RETRY_BACKOFF", "100ms");
    s.put("PRESSLINE_SMTP_MAX_RETRY_BACKOFF", "500ms");
    s.put(PublisherConfig.ADMIN_TOKEN, ADMIN_TOKEN);
    s.put(FeedConfig.PORT, "0");
    s.put(FeedConfig.INSTANCE_ID, "console-test");
    s.put(ConsoleConfig.PORT, "0");
    s.put(ConsoleConfig.SIGN_IN_ATTEMPTS, "5");
    Settings settings = Settings.of(s);
    ingest = IngestService.start(IngestConfig.from(settings));
    publisher = PublisherService.start(PublisherConfig.from(settings));
    feed = FeedService.start(FeedConfig.from(settings));
    goneUrl = "http://localhost:" + freePort();
    s.put(ConsoleConfig.SERVICES, "ingest=http://localhost:" + ingest.healthPort()
        + ",publisher=http://localhost:" + publisher.httpPort() + ",feed=http://localhost:" + feed.httpPort()
        + ",gone=" + goneUrl);
    console = ConsoleService.start(ConsoleConfig.from(Settings.of(s)));
    if (!ingest.awaitReady(Duration.ofSeconds(60))) {
      throw new IllegalStateException("ingest did not become ready");
    }
  }

  String base() {
    return console.localUrl();
  }

  Path drop(String name, String text) throws IOException {
    Path inbox = root.resolve("inbox");
    Path part = inbox.resolve(name + ".part");
    Files.writeString(part, text, StandardCharsets.UTF_8);
    return Files.move(part, inbox.resolve(name));
  }

  private GreenMail startSmtp() {
    GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    return mail;
  }

  /** The mail server goes away: connections to its port are refused. */
  void stopSmtp() {
    smtp.stop();
  }

  /** A mail server is back on the same port. */
  void restartSmtp() {
    smtp = startSmtp();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    console.close();
    ingest.close();
    feed.close();
    publisher.close();
    smtp.stop();
  }
}
