package dev.pressline.reliability.attack;

import static org.awaitility.Awaitility.await;

import dev.pressline.feed.FeedConfig;
import dev.pressline.feed.FeedService;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.IngestService;
import dev.pressline.publisher.PublisherConfig;
import dev.pressline.publisher.PublisherService;
import dev.pressline.reliability.process.FreePort;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The three services started for real through their public API ({@code XConfig.from(Settings)},
 * {@code XService.start}) on the test's broker and SMTP server, with folders under {@code root}:
 * the target of the attacks.
 */
final class RunningPipeline implements AutoCloseable {

  static final String ADMIN_TOKEN = "admin-token-for-the-attack-tests-7f3a9c";

  final Path inbox;
  final Path processed;
  final Path rejected;
  final Path media;
  final KafkaSettings kafka;
  final FeedService feed;
  final PublisherService publisher;
  final IngestService ingest;
  private final Http http = new Http();

  RunningPipeline(KafkaSettings kafka, int smtpPort, Path root, Map<String, String> overrides) throws InterruptedException {
    this.kafka = kafka;
    this.inbox = root.resolve("inbox");
    this.processed = root.resolve("processed");
    this.rejected = root.resolve("rejected");
    this.media = root.resolve("media");
    int feedPort = FreePort.pick();
    int publisherPort = FreePort.pick();
    Map<String, String> values = new HashMap<>();
    values.put(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers());
    values.put(KafkaSettings.TOPIC_PREFIX, kafka.topics().prefix());
    values.put(KafkaSettings.DELIVERIES_PARTITIONS, Integer.toString(kafka.deliveriesPartitions()));
    values.put("PRESSLINE_PUBLIC_BASE_URL", "http://localhost:" + feedPort);
    values.put("PRESSLINE_PUBLISHER_BASE_URL", "http://localhost:" + publisherPort);
    values.put("PRESSLINE_MEDIA_DIR", media.toString());
    values.put("PRESSLINE_STATE_DIR", root.resolve("state").toString());
    values.put(IngestConfig.INBOX_DIR, inbox.toString());
    values.put(IngestConfig.PROCESSED_DIR, processed.toString());
    values.put(IngestConfig.REJECTED_DIR, rejected.toString());
    values.put(IngestConfig.PORT, "0");
    values.put(IngestConfig.SETTLE_TIME, "50ms");
    values.put(IngestConfig.POLL_INTERVAL, "50ms");
    values.put(IngestConfig.MEDIA_GRACE, "1s");
    values.put(FeedConfig.PORT, Integer.toString(feedPort));
    values.put(PublisherConfig.PORT, Integer.toString(publisherPort));
    values.put(PublisherConfig.SMTP_HOST, "127.0.0.1");
    values.put(PublisherConfig.SMTP_PORT, Integer.toString(smtpPort));
    values.put(PublisherConfig.ADMIN_TOKEN, ADMIN_TOKEN);
    values.put(PublisherConfig.SIGNING_SECRET, "attack-tests-signing-secret-0123456789");
    values.putAll(overrides);
    Settings settings = Settings.of(values);
    this.feed = FeedService.start(FeedConfig.from(settings));
    this.publisher = PublisherService.start(PublisherConfig.from(settings));
    this.ingest = IngestService.start(IngestConfig.from(settings));
    for (int port : new int[] {feed.httpPort(), publisher.httpPort(), ingest.healthPort()}) {
      await("service on port " + port + " healthy").atMost(Duration.ofSeconds(90))
          .until(() -> http.status(port, "/health") == 200);
    }
  }

  /** Drops a post the way an editor's tool saving atomically would, and waits until it has been dealt with. */
  void drop(String name, String content) {
    try {
      Files.createDirectories(inbox);
      Path temp = inbox.resolve(name + ".part");
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      Files.move(temp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await(name + " leaves the inbox").atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(inbox.resolve(name)));
  }

  @Override
  public void close() {
    ingest.close();
    publisher.close();
    feed.close();
  }
}
