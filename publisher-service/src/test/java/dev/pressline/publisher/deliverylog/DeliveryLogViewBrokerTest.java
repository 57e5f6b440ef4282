package dev.pressline.publisher.deliverylog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.events.EventJson;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The view reading what a broken or hostile writer left on the topic, from a real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class DeliveryLogViewBrokerTest {

  @Test
  void aValueThatIsTheJsonLiteralNullIsSkippedAndTheViewReadsOn(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    new TopicSetup(kafka).ensureTopics();
    String topic = kafka.topics().deliveryLog();
    DeliveryRecord after = new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, "news", "ann@example.org",
        DeliveryStatus.SENT, 1, "250 OK", Instant.parse("2026-12-05T06:00:00Z"));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ClientProperties.producer(kafka, "hostile"),
        new StringSerializer(), new ByteArraySerializer())) {
      // the same partition as the entry after it: the view must get past it to reach that entry
      producer.send(new ProducerRecord<>(topic, after.key(), "null".getBytes(StandardCharsets.UTF_8))).get();
      producer.send(new ProducerRecord<>(topic, after.key(), new EventJson().write(after))).get();
    }

    try (DeliveryLogView view = new DeliveryLogView(kafka, "view-broker-test").start()) {
      assertThat(view.awaitCaughtUp(Duration.ofSeconds(60))).as("caught up, not stopped").isTrue();
      assertThat(view.isRunning()).isTrue();
      assertThat(view.get(after.key())).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(DeliveryStatus.SENT));
    }
  }
}
