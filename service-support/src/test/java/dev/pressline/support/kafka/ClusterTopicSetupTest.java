package dev.pressline.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.support.testing.KafkaCluster;
import dev.pressline.support.testing.KafkaClusterExtension;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TopicSetup on a real three-broker cluster, as every service runs it at start. */
@ExtendWith(KafkaClusterExtension.class)
class ClusterTopicSetupTest {

  @Test
  void createsEveryTopicWithThreeReplicasAndMinInsyncReplicasTwo(KafkaCluster cluster) throws Exception {
    KafkaSettings kafka = cluster.freshSettings();

    new TopicSetup(kafka).ensureTopics();
    new TopicSetup(kafka).ensureTopics(); // the next service to start accepts what the first created

    TopicNames t = kafka.topics();
    List<String> names = List.of(t.posts(), t.subscribers(), t.deliveries(), t.deliveryLog(), t.fileOutcomes());
    try (Admin admin = admin(kafka)) {
      Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
      assertThat(described.values())
          .flatMap(TopicDescription::partitions)
          .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
      for (String name : names) {
        assertThat(minInsyncReplicas(admin, name)).as(name).isEqualTo("2");
      }
    }
  }

  @Test
  void refusesATopicWithFewerReplicasThanTheSettingAsksFor(KafkaCluster cluster) throws Exception {
    KafkaSettings kafka = cluster.freshSettings();
    createPosts(kafka, (short) 1, "1");

    assertThatThrownBy(() -> new TopicSetup(kafka).ensureTopics())
        .isInstanceOf(TopicMisconfiguredException.class)
        .hasMessageContaining("topic " + kafka.topics().posts() + " has 1 replica(s) per partition")
        .hasMessageContaining("PRESSLINE_REPLICATION_FACTOR is 3");
  }

  @Test
  void refusesMinInsyncReplicasOfOneOnThreeReplicas(KafkaCluster cluster) throws Exception {
    KafkaSettings kafka = cluster.freshSettings();
    createPosts(kafka, (short) 3, "1");

    assertThatThrownBy(() -> new TopicSetup(kafka).ensureTopics())
        .isInstanceOf(TopicMisconfiguredException.class)
        .hasMessageContaining("topic " + kafka.topics().posts() + " has 3 replicas but min.insync.replicas=1")
        .hasMessageContaining("set min.insync.replicas=2");
  }

  @Test
  void refusesMinInsyncReplicasAboveTheReplicas(KafkaCluster cluster) throws Exception {
    KafkaSettings kafka = cluster.freshSettings();
    createPosts(kafka, (short) 3, "4");

    assertThatThrownBy(() -> new TopicSetup(kafka).ensureTopics())
        .isInstanceOf(TopicMisconfiguredException.class)
        .hasMessageContaining("topic " + kafka.topics().posts() + " has min.insync.replicas=4 but only 3")
        .hasMessageContaining("no write with acks=all can succeed");
  }

  @Test
  void acceptsTopicsReplicatedMoreThanASmallerSettingAsks(KafkaCluster cluster) throws Exception {
    KafkaSettings three = cluster.freshSettings();
    new TopicSetup(three).ensureTopics();
    KafkaSettings one = new KafkaSettings(three.bootstrapServers(), three.topics(), 4, (short) 1);

    new TopicSetup(one).ensureTopics();

    try (Admin admin = admin(one)) {
      assertThat(minInsyncReplicas(admin, one.topics().posts())).isEqualTo("2");
    }
  }

  private static void createPosts(KafkaSettings kafka, short replicas, String minInsyncReplicas)
      throws Exception {
    try (Admin admin = admin(kafka)) {
      admin.createTopics(List.of(new NewTopic(kafka.topics().posts(), 1, replicas)
          .configs(Map.of("cleanup.policy", "compact", "min.insync.replicas", minInsyncReplicas))))
          .all().get();
    }
  }

  private static String minInsyncReplicas(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource).get("min.insync.replicas").value();
  }

  private static Admin admin(KafkaSettings kafka) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return Admin.create(props);
  }
}
