package dev.pressline.bench.run;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.EventJson;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.EmbeddedKafkaBroker;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicNames;
import dev.pressline.support.kafka.TopicSetup;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka broker of a benchmark: the same embedded single-node KRaft broker the launcher runs,
 * in the driver's JVM, with a fresh topic prefix for each measured run so runs never share state.
 */
public final class BenchKafka implements AutoCloseable {

  private final EmbeddedKafkaBroker broker;
  private int runs;

  private BenchKafka(EmbeddedKafkaBroker broker) {
    this.broker = broker;
  }

  public static BenchKafka start(Path dataDir) {
    return new BenchKafka(EmbeddedKafkaBroker.start(dataDir, 0));
  }

  /** Settings for a new set of topics (created here), named after {@code label}. */
  public KafkaSettings freshTopics(String label) {
    runs++;
    KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(),
        new TopicNames("bench." + label + "." + runs + "."), 12, (short) 1);
    new TopicSetup(kafka).ensureTopics();
    return kafka;
  }

  /** The environment that points a service at {@code kafka}. */
  public static Map<String, String> env(KafkaSettings kafka) {
    Map<String, String> env = new HashMap<>();
    env.put(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers());
    env.put(KafkaSettings.TOPIC_PREFIX, kafka.topics().prefix());
    env.put(KafkaSettings.DELIVERIES_PARTITIONS, Integer.toString(kafka.deliveriesPartitions()));
    env.put(KafkaSettings.REPLICATION_FACTOR, Integer.toString(kafka.replicationFactor()));
    return env;
  }

  /**
   * A producer for loading fixtures fast: the pipeline's producer settings, with bigger batches
   * because here many records are written at once.
   */
  public static <V> KafkaProducer<String, V> loader(KafkaSettings kafka, String clientId) {
    requireNonNull(kafka, "kafka");
    Properties props = ClientProperties.producer(kafka, clientId);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    return new KafkaProducer<>(props, new StringSerializer(), JsonSerde.serializer(new EventJson()));
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  @Override
  public void close() {
    broker.close();
  }
}
