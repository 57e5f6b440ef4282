package dev.pressline.support.kafka;

import static java.util.Objects.requireNonNull;

import dev.pressline.support.config.Settings;

/**
 * Where the Kafka cluster is and how the pipeline's topics are named and sized.
 *
 * @param bootstrapServers comma-separated host:port list
 * @param topics the topic names
 * @param deliveriesPartitions partitions of the deliveries topic: the most mailers that share work
 * @param replicationFactor replicas per topic; 1 for a single broker, 3 for a production cluster
 */
public record KafkaSettings(
    String bootstrapServers, TopicNames topics, int deliveriesPartitions, short replicationFactor) {

  public static final String BOOTSTRAP = "PRESSLINE_KAFKA_BOOTSTRAP_SERVERS";
  public static final String TOPIC_PREFIX = "PRESSLINE_TOPIC_PREFIX";
  public static final String DELIVERIES_PARTITIONS = "PRESSLINE_DELIVERIES_PARTITIONS";
  public static final String REPLICATION_FACTOR = "PRESSLINE_REPLICATION_FACTOR";

  public KafkaSettings {
    requireNonNull(bootstrapServers, "bootstrapServers");
    requireNonNull(topics, "topics");
  }

  public static KafkaSettings from(Settings settings) {
    return new KafkaSettings(
        settings.string(BOOTSTRAP, "localhost:9092"),
        new TopicNames(settings.string(TOPIC_PREFIX, "pressline.")),
        settings.integer(DELIVERIES_PARTITIONS, 12, 1, 10_000),
        (short) settings.integer(REPLICATION_FACTOR, 1, 1, 32));
  }
}
