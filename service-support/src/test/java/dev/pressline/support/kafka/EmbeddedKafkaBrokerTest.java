package dev.pressline.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

  @Test
  void keepsItsTopicsAndRecordsAcrossARestartOnTheSameFolder(@TempDir Path dir) throws Exception {
    KafkaSettings kafka;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
      kafka = new KafkaSettings(broker.bootstrapServers(), new TopicNames("keep."), 2, (short) 1);
      new TopicSetup(kafka).ensureTopics();
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(ClientProperties.producer(kafka, "t"), new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>(kafka.topics().posts(), "slug", "kept")).get();
      }
    }

    try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(dir, 0)) {
      assertThat(again.bootstrapServers()).isEqualTo(kafka.bootstrapServers());
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(ClientProperties.reader(kafka, "t"), new StringDeserializer(), new StringDeserializer())) {
        TopicPartition partition = new TopicPartition(kafka.topics().posts(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (values.isEmpty() && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            values.add(r.value());
          }
        }
        assertThat(values).containsExactly("kept");
      }
    }
  }
}
