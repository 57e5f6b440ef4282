package dev.pressline.support.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Decides whether topics as Kafka describes them keep the promise the producers' {@code acks=all}
 * makes: that an acknowledged post survives the loss of a broker. It only judges; {@link TopicSetup}
 * asks Kafka and reports.
 */
final class ReplicationCheck {

  private final short wantedReplicas;

  ReplicationCheck(short wantedReplicas) {
    this.wantedReplicas = wantedReplicas;
  }

  /**
   * The {@code min.insync.replicas} a topic with {@code replicas} replicas is created with: two from
   * three replicas on (an acknowledged record is on two brokers, and one broker may be down without
   * stopping writes), otherwise one, as a single broker or a pair needs to keep writing.
   */
  static int minInsyncReplicasFor(short replicas) {
    return replicas >= 3 ? 2 : 1;
  }

  /** One sentence per problem, naming the topic and what to change; empty when all is well. */
  List<String> problems(Map<String, TopicDescription> topics, Map<String, Integer> minInsyncReplicas) {
    List<String> problems = new ArrayList<>();
    topics.forEach(
        (name, description) -> {
          int replicas =
              description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
          int minIsr = minInsyncReplicas.get(name);
          if (replicas < wantedReplicas) {
            problems.add("topic " + name + " has " + replicas + " replica(s) per partition but "
                + KafkaSettings.REPLICATION_FACTOR + " is " + wantedReplicas
                + ": add replicas to the topic (kafka-reassign-partitions) or lower the setting");
          }
          if (minIsr > replicas) {
            problems.add("topic " + name + " has min.insync.replicas=" + minIsr + " but only " + replicas
                + " replica(s): no write with acks=all can succeed; set min.insync.replicas to at most "
                + replicas);
          } else if (replicas >= 3 && minIsr < 2) {
            problems.add("topic " + name + " has " + replicas + " replicas but min.insync.replicas=" + minIsr
                + ": acks=all would then wait for the leader alone, and a leader that crashes could take"
                + " acknowledged records with it; set min.insync.replicas=2");
          }
        });
    return problems;
  }
}
