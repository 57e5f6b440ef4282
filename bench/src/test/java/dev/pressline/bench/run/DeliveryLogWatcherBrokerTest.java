package dev.pressline.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.events.EventJson;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The watcher's own thread against a real broker: it reads the whole log, then stops when closed. */
@ExtendWith(KafkaBrokerExtension.class)
class DeliveryLogWatcherBrokerTest {

  private static final Instant AT = Instant.parse("2026-12-05T02:00:00Z");

  @Test
  void readsTheLogFromItsStartWhileItGrowsAndStopsOnClose(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    new TopicSetup(kafka).ensureTopics();
    try (KafkaProducer<String, DeliveryRecord> producer = new KafkaProducer<>(
        ClientProperties.producer(kafka, "watcher-test"), new StringSerializer(), JsonSerde.serializer(new EventJson()))) {
      send(producer, kafka, record(DeliveryRecord.MARKER_RECIPIENT, DeliveryStatus.SENT));
      send(producer, kafka, record("reader1@example.com", DeliveryStatus.SENT));
      send(producer, kafka, record("reader2@example.com", DeliveryStatus.FAILED));
      producer.flush();

      DeliveryLogWatcher watcher = new DeliveryLogWatcher(kafka).start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(watcher::isRunning);
        send(producer, kafka, record("reader3@example.com", DeliveryStatus.SENT));
        producer.flush();

        assertThat(watcher.awaitSent(2, Duration.ofSeconds(60))).as("both mails, before and after the start").isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> watcher.failed() == 1);
        assertThat(watcher.sent()).as("the fan-out marker is no mail").isEqualTo(2);
      } finally {
        watcher.close();
      }
      assertThat(watcher.isRunning()).isFalse();
    }
  }

  private static void send(KafkaProducer<String, DeliveryRecord> producer, KafkaSettings kafka, DeliveryRecord record) {
    producer.send(new ProducerRecord<>(kafka.topics().deliveryLog(), record.key(), record));
  }

  private static DeliveryRecord record(String email, DeliveryStatus status) {
    return new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, "post", email, status, 1, "250 2.0.0 Ok", AT);
  }
}
