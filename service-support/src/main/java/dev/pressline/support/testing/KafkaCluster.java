package dev.pressline.support.testing;

import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicNames;
import java.util.List;
import java.util.UUID;

/**
 * A running cluster of real Kafka brokers, each in a process of its own, as tests see it: they can
 * ask who leads a partition or the metadata quorum, and kill a broker with {@code kill -9} and start
 * it again on the same log.
 */
public interface KafkaCluster {

  /** Replicas of every topic made for tests, as in production. */
  short REPLICATION_FACTOR = 3;

  /** The fewest replicas that must have a record before {@code acks=all} is answered. */
  int MIN_INSYNC_REPLICAS = 2;

  /** All brokers, comma-separated, as a service's PRESSLINE_KAFKA_BOOTSTRAP_SERVERS would list them. */
  String bootstrapServers();

  /** The node ids of all brokers, running or not. */
  List<Integer> nodeIds();

  /** The broker that leads {@code partition} of {@code topic}, waiting for an election if there is none. */
  int leaderOf(String topic, int partition);

  /** The controller that currently leads the KRaft metadata quorum. */
  int activeController();

  /** Whether the broker's process is running. */
  boolean isRunning(int nodeId);

  /** {@code kill -9}: the broker's process ends at once, with no clean shutdown and nothing flushed. */
  void kill(int nodeId);

  /**
   * A controlled shutdown (SIGTERM), as an operator stops a broker to upgrade it: the broker hands
   * its leaderships over and writes its clean-shutdown marker before it exits.
   */
  void stop(int nodeId);

  /** Starts a killed or stopped broker again on the same log, and returns once the cluster counts it again. */
  void restart(int nodeId);

  /** Waits until every replica of every partition of {@code topic} is in sync again. */
  void awaitFullyReplicated(String topic);

  /** Creates a topic with {@link #REPLICATION_FACTOR} replicas and {@link #MIN_INSYNC_REPLICAS}. */
  void createTopic(String name, int partitions);

  /** Settings that point at this cluster, with three replicas and topic names no other test uses. */
  default KafkaSettings freshSettings() {
    String prefix = "c" + UUID.randomUUID().toString().substring(0, 8) + ".";
    return new KafkaSettings(bootstrapServers(), new TopicNames(prefix), 4, REPLICATION_FACTOR);
  }
}
