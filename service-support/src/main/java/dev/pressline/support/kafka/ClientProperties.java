package dev.pressline.support.kafka;

import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The client settings the design relies on, each with its reason, in one place. Every producer,
 * consumer and admin client of the services is configured here, and each gets the cluster's
 * security settings ({@link KafkaClientSecurity}).
 */
public final class ClientProperties {

  private ClientProperties() {}

  /** An idempotent producer that waits for every in-sync replica. */
  public static Properties producer(KafkaSettings kafka, String clientId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.putAll(kafka.security().properties());
    // a post is acknowledged only once every in-sync replica has it: nothing lost on a broker crash
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // retries never write a record twice
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // small batches: the pipeline is about latency per post, not bulk throughput
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    // posts carry whole HTML bodies
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return props;
  }

  /** A transactional producer: reads and writes of one step commit together. */
  public static Properties transactionalProducer(
      KafkaSettings kafka, String clientId, String transactionalId) {
    Properties props = producer(kafka, clientId);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return props;
  }

  /** A consumer in a group that commits offsets itself and sees only committed transactions. */
  public static Properties groupConsumer(KafkaSettings kafka, String clientId, String groupId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.putAll(kafka.security().properties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    // offsets move only when the work is done (or inside the same transaction)
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // a new group starts from the beginning: no post published before it joined is skipped
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // aborted fan-outs must not be mailed
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }

  /** An admin client, for setting up and checking topics. */
  public static Properties admin(KafkaSettings kafka, String clientId) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    props.putAll(kafka.security().properties());
    return props;
  }

  /** A consumer without a group that reads whole partitions it assigns itself. */
  public static Properties reader(KafkaSettings kafka, String clientId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.putAll(kafka.security().properties());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }
}
