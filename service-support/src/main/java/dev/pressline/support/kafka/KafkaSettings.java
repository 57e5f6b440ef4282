package dev.pressline.support.kafka;

import static java.util.Objects.requireNonNull;

import dev.pressline.support.config.Settings;

/**
 * Where the Kafka cluster is, how the services prove who they are to it, and how the pipeline's
 * topics are named and sized.
 *
 * @param bootstrapServers comma-separated host:port list
 * @param topics the topic names
 * @param deliveriesPartitions partitions of the deliveries topic: the most mailers that share work
 * @param replicationFactor replicas per topic; 1 for a single broker, 3 for a production cluster
 * @param security the TLS and SASL settings every client of the service uses
 */
public record KafkaSettings(
    String bootstrapServers,
    TopicNames topics,
    int deliveriesPartitions,
    short replicationFactor,
    KafkaClientSecurity security) {

  public static final String BOOTSTRAP = "PRESSLINE_KAFKA_BOOTSTRAP_SERVERS";
  public static final String TOPIC_PREFIX = "PRESSLINE_TOPIC_PREFIX";
  public static final String DELIVERIES_PARTITIONS = "PRESSLINE_DELIVERIES_PARTITIONS";
  public static final String REPLICATION_FACTOR = "PRESSLINE_REPLICATION_FACTOR";

  public KafkaSettings {
    requireNonNull(bootstrapServers, "bootstrapServers");
    requireNonNull(topics, "topics");
    requireNonNull(security, "security");
  }

  /** Settings for a cluster that takes unauthenticated PLAINTEXT connections, as a local broker does. */
  public KafkaSettings(String bootstrapServers, TopicNames topics, int deliveriesPartitions, short replicationFactor) {
    this(bootstrapServers, topics, deliveriesPartitions, replicationFactor, KafkaClientSecurity.none());
  }

  public static KafkaSettings from(Settings settings) {
    return new KafkaSettings(
        settings.string(BOOTSTRAP, "localhost:9092"),
        new TopicNames(settings.string(TOPIC_PREFIX, "pressline.")),
        settings.integer(DELIVERIES_PARTITIONS, 12, 1, 10_000),
        (short) settings.integer(REPLICATION_FACTOR, 1, 1, 32),
        KafkaClientSecurity.from(settings));
  }

  /** These settings with the clients connecting as {@code other} says. */
  public KafkaSettings withSecurity(KafkaClientSecurity other) {
    return new KafkaSettings(bootstrapServers, topics, deliveriesPartitions, replicationFactor, other);
  }
}
