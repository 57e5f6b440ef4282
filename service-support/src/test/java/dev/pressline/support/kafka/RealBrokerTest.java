package dev.pressline.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.events.EventJson;
import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class RealBrokerTest {

  private final EventJson json = new EventJson();

  @Test
  void createsCompactedCatalogueAndPartitionedDeliveries(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();

    new TopicSetup(kafka).ensureTopics();
    new TopicSetup(kafka).ensureTopics(); // a second service starting finds them and is fine

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      TopicNames t = kafka.topics();
      ConfigResource posts = new ConfigResource(ConfigResource.Type.TOPIC, t.posts());
      ConfigResource deliveries = new ConfigResource(ConfigResource.Type.TOPIC, t.deliveries());
      Map<ConfigResource, Config> configs = admin.describeConfigs(java.util.List.of(posts, deliveries)).all().get();
      assertThat(configs.get(posts).get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(configs.get(deliveries).get("cleanup.policy").value()).isEqualTo("delete");
      TopicDescription d = admin.describeTopics(java.util.List.of(t.deliveries())).allTopicNames().get().get(t.deliveries());
      assertThat(d.partitions()).hasSize(kafka.deliveriesPartitions());
    }
  }

  @Test
  void aSingleBrokerWithTheDefaultFactorGetsOneReplicaAndMinInsyncReplicasOne(KafkaBroker broker)
      throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    assertThat(kafka.replicationFactor()).isEqualTo((short) 1);

    new TopicSetup(kafka).ensureTopics();

    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      String posts = kafka.topics().posts();
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, posts);
      assertThat(admin.describeConfigs(java.util.List.of(resource)).all().get().get(resource)
          .get("min.insync.replicas").value()).isEqualTo("1");
      assertThat(admin.describeTopics(java.util.List.of(posts)).allTopicNames().get().get(posts)
          .partitions().get(0).replicas()).hasSize(1);
    }
  }

  @Test
  void refusesAReplicationFactorTheBrokersCannotPlace(KafkaBroker broker) {
    KafkaSettings one = broker.freshSettings();
    KafkaSettings three = new KafkaSettings(one.bootstrapServers(), one.topics(), 4, (short) 3);

    assertThatThrownBy(() -> new TopicSetup(three).ensureTopics())
        .isInstanceOf(TopicMisconfiguredException.class)
        .hasMessageContaining("PRESSLINE_REPLICATION_FACTOR is 3 but the cluster at " + one.bootstrapServers()
            + " cannot place that many replicas");
  }

  @Test
  void refusesATopicWhoseMinInsyncReplicasExceedsItsReplicas(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin.createTopics(java.util.List.of(new NewTopic(kafka.topics().subscribers(), 1, (short) 1)
          .configs(Map.of("cleanup.policy", "compact", "min.insync.replicas", "2")))).all().get();
    }

    assertThatThrownBy(() -> new TopicSetup(kafka).ensureTopics())
        .isInstanceOf(TopicMisconfiguredException.class)
        .hasMessageContaining("topic " + kafka.topics().subscribers() + " has min.insync.replicas=2 but only 1");
  }

  @Test
  void followerRebuildsLatestStatePerKeyAndSaysWhenCaughtUp(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    new TopicSetup(kafka).ensureTopics();
    String topic = kafka.topics().subscribers();
    try (KafkaProducer<String, SubscriberEvent> producer =
        new KafkaProducer<>(ClientProperties.producer(kafka, "test"), new StringSerializer(), JsonSerde.serializer(json))) {
      producer.send(new ProducerRecord<>(topic, "a@x.org", sub("a@x.org", SubscriberStatus.PENDING))).get();
      producer.send(new ProducerRecord<>(topic, "a@x.org", sub("a@x.org", SubscriberStatus.CONFIRMED))).get();
      producer.send(new ProducerRecord<>(topic, "b@x.org", sub("b@x.org", SubscriberStatus.CONFIRMED))).get();
    }
    Map<String, SubscriberStatus> state = new ConcurrentHashMap<>();

    try (TopicFollower<SubscriberEvent> follower =
        new TopicFollower<>(kafka, topic, JsonSerde.deserializer(json, SubscriberEvent.class),
            (key, value) -> state.put(key, value.status())).start()) {
      assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
      assertThat(state).containsEntry("a@x.org", SubscriberStatus.CONFIRMED).hasSize(2);
    }
  }

  private static SubscriberEvent sub(String email, SubscriberStatus status) {
    return new SubscriberEvent(1, email, status, Instant.now(), "test");
  }
}
