package dev.pressline.reliability.chaos;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.EventJson;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The delivery log as an auditor reads it: the latest record per post and recipient. */
public final class DeliveryLog {

  private DeliveryLog() {}

  public static Map<String, DeliveryRecord> latest(KafkaSettings kafka) {
    Map<String, DeliveryRecord> latest = new HashMap<>();
    try (KafkaConsumer<String, DeliveryRecord> consumer = new KafkaConsumer<>(
        ClientProperties.reader(kafka, "chaos-audit"), new StringDeserializer(),
        JsonSerde.deserializer(new EventJson(), DeliveryRecord.class))) {
      String topic = kafka.topics().deliveryLog();
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read the whole delivery log");
        }
        for (ConsumerRecord<String, DeliveryRecord> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() != null) {
            latest.put(r.key(), r.value());
          }
        }
      }
    }
    return latest;
  }
}
