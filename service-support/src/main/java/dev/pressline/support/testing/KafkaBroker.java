package dev.pressline.support.testing;

import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicNames;
import java.util.UUID;

/** A running real Kafka broker, as tests see it. */
public interface KafkaBroker {

  String bootstrapServers();

  /** How the broker was started, for the log: "in-process KRaft broker" or "Testcontainers". */
  String kind();

  /** Settings that point at this broker with topic names no other test uses. */
  default KafkaSettings freshSettings() {
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    return new KafkaSettings(bootstrapServers(), new TopicNames(prefix), 4, (short) 1);
  }
}
