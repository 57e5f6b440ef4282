package dev.pressline.support.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@ExtendWith(KafkaClusterExtension.class)
class KafkaClusterTest {

  private static final Logger log = LoggerFactory.getLogger(KafkaClusterTest.class);
  private static final int BATCH = 100;

  @Test
  void losesNoAcknowledgedRecordWhenThePartitionLeaderIsKilledAndRestarted(KafkaCluster cluster)
      throws Exception {
    KafkaSettings kafka = cluster.freshSettings();
    String topic = kafka.topics().prefix() + "survivors";
    cluster.createTopic(topic, 1);
    List<String> acknowledged = new ArrayList<>();

    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(ClientProperties.producer(kafka, "survivor-producer"),
            new StringSerializer(), new StringSerializer())) {
      acknowledged.addAll(sendAndAwaitAcks(producer, topic, 0));

      int leader = cluster.leaderOf(topic, 0);
      cluster.kill(leader);
      long killed = System.nanoTime();
      // sent while the partition has no live leader: the producer retries until one is elected
      acknowledged.addAll(sendAndAwaitAcks(producer, topic, BATCH));
      log.info("{} records acknowledged {} ms after broker {} (the leader) was killed",
          BATCH, (System.nanoTime() - killed) / 1_000_000, leader);
      int newLeader = cluster.leaderOf(topic, 0);
      assertThat(newLeader).isNotEqualTo(leader);

      cluster.restart(leader);
      cluster.awaitFullyReplicated(topic);
      acknowledged.addAll(sendAndAwaitAcks(producer, topic, 2 * BATCH));
    }

    assertThat(readAll(kafka, topic, acknowledged.size()))
        .as("every acknowledged record, once, in order")
        .containsExactlyElementsOf(acknowledged);
  }

  @Test
  void theMetadataQuorumElectsANewControllerWhenTheActiveOneIsKilled(KafkaCluster cluster) {
    int controller = cluster.activeController();
    assertThat(cluster.nodeIds()).contains(controller);

    cluster.kill(controller);

    await("a controller other than " + controller).atMost(Duration.ofMinutes(1))
        .until(() -> cluster.activeController() != controller);
    assertThat(cluster.isRunning(controller)).isFalse();
    cluster.restart(controller);
    assertThat(cluster.isRunning(controller)).isTrue();
  }

  private static List<String> sendAndAwaitAcks(KafkaProducer<String, String> producer, String topic, int first)
      throws Exception {
    List<String> values = IntStream.range(first, first + BATCH).mapToObj(i -> "record-" + i).toList();
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (String value : values) {
      acks.add(producer.send(new ProducerRecord<>(topic, "key", value)));
    }
    for (Future<RecordMetadata> ack : acks) {
      // the producer's own delivery timeout (2 min) bounds this; an exception fails the test
      ack.get(3, TimeUnit.MINUTES);
    }
    return values;
  }

  private static List<String> readAll(KafkaSettings kafka, String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(ClientProperties.reader(kafka, "survivor-reader"),
            new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      await("all " + expected + " records read back").atMost(Duration.ofMinutes(2))
          .until(() -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
              values.add(r.value());
            }
            return values.size() >= expected;
          });
      // anything beyond the expected count would be a duplicate: read once more to see it
      consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
    }
    return values;
  }
}
