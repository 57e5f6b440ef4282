package dev.pressline.ingest.testing;

import static org.awaitility.Awaitility.await;

import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.IngestService;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

/** An ingest-service started on a test inbox, with a reader of its posts topic. */
public final class RunningIngest implements AutoCloseable {

  private final IngestService service;
  private final PostsTopic topic;
  private final Inbox inbox;

  private RunningIngest(IngestService service, KafkaSettings kafka, Folders folders) {
    this.service = service;
    this.topic = new PostsTopic(kafka);
    this.inbox = new Inbox(folders);
  }

  /** Settings for tests: short settle time, poll interval and grace periods. */
  public static IngestConfig config(KafkaSettings kafka, Folders folders) {
    return config(kafka, folders, Duration.ofMillis(200));
  }

  /** Test settings with another settle time. */
  public static IngestConfig config(KafkaSettings kafka, Folders folders, Duration settleTime) {
    return config(kafka, folders, settleTime, Duration.ofSeconds(3));
  }

  /** Test settings with another settle time and grace period for late media. */
  public static IngestConfig config(KafkaSettings kafka, Folders folders, Duration settleTime, Duration mediaGrace) {
    return IngestConfig.builder()
        .folders(folders)
        .port(0)
        .settleTime(settleTime)
        .pollInterval(Duration.ofMillis(50))
        .maxPostBytes(1024 * 1024)
        .parseTimeout(Duration.ofSeconds(10))
        .maxMediaBytes(64L * 1024 * 1024)
        .mediaGrace(mediaGrace)
        .orphanMediaWait(Duration.ofSeconds(3))
        .retryBackoffMax(Duration.ofSeconds(2))
        .publicBaseUrl("http://news.example")
        .zone(ZoneOffset.UTC)
        .kafka(kafka)
        .build();
  }

  public static RunningIngest start(IngestConfig config) throws InterruptedException {
    IngestService service = IngestService.start(config);
    if (!service.awaitReady(Duration.ofSeconds(60))) {
      service.close();
      throw new AssertionError("ingest-service did not get ready within 60 s");
    }
    return new RunningIngest(service, config.kafka(), config.folders());
  }

  public IngestService service() {
    return service;
  }

  public Inbox inbox() {
    return inbox;
  }

  public List<PostEvent> events() {
    return topic.events();
  }

  /** Waits until the topic holds at least {@code count} events and returns them all. */
  public List<PostEvent> awaitEvents(int count) {
    await().atMost(Duration.ofSeconds(20)).until(() -> topic.events().size() >= count);
    return topic.events();
  }

  @Override
  public void close() {
    topic.close();
    service.close();
  }
}
