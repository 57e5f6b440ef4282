package dev.pressline.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicNames;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The watcher's counting, fed records directly (its consumer thread is never started). */
class DeliveryLogWatcherTest {

  private static final Instant FANNED_OUT = Instant.parse("2026-12-04T23:02:30.049Z");
  private static final Instant ACCEPTED = Instant.parse("2026-12-04T23:02:30.722Z");

  private final DeliveryLogWatcher watcher =
      new DeliveryLogWatcher(new KafkaSettings("localhost:1", new TopicNames("unit."), 1, (short) 1));

  @Test
  void fanOutMarkerIsNeitherAMailNorTheFirstOne() throws Exception {
    watcher.take(record("post", DeliveryRecord.MARKER_RECIPIENT, DeliveryStatus.SENT, FANNED_OUT));
    watcher.take(record("post", "reader1@example.com", DeliveryStatus.SENT, ACCEPTED));

    assertThat(watcher.sent()).isEqualTo(1);
    assertThat(watcher.sentTimes()).containsExactly(ACCEPTED);
    assertThat(watcher.awaitFirstSent("post", Duration.ZERO)).isEqualTo(ACCEPTED);
  }

  @Test
  void countsEachMailOnceAndItsFailures() throws Exception {
    watcher.take(record("post", "reader1@example.com", DeliveryStatus.SENT, ACCEPTED));
    watcher.take(record("post", "reader1@example.com", DeliveryStatus.SENT, ACCEPTED.plusSeconds(1)));
    watcher.take(record("post", "reader2@example.com", DeliveryStatus.FAILED, ACCEPTED));

    assertThat(watcher.sent()).isEqualTo(1);
    assertThat(watcher.failed()).isEqualTo(1);
    assertThat(watcher.awaitSent(2, Duration.ZERO)).isFalse();
  }

  private static DeliveryRecord record(String slug, String email, DeliveryStatus status, Instant at) {
    return new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, slug, email, status, 1, "250 2.0.0 Ok", at);
  }
}
