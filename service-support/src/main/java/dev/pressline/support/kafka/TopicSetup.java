package dev.pressline.support.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics when they are missing, with the settings the design relies on, and
 * checks that the topics it finds are replicated as PRESSLINE_REPLICATION_FACTOR says. Every service
 * calls it at start, so any one of them can be first on an empty cluster, and none runs on topics
 * where {@code acks=all} would promise more than it keeps.
 */
public final class TopicSetup {

  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

  private final KafkaSettings kafka;

  public TopicSetup(KafkaSettings kafka) {
    this.kafka = kafka;
  }

  /**
   * Creates the missing topics, then checks all of them.
   *
   * @throws KafkaUnavailableException when Kafka cannot be reached (worth trying again)
   * @throws TopicMisconfiguredException when the topics or the cluster do not allow the replication
   *     asked for (trying again does not help)
   */
  public void ensureTopics() {
    try (Admin admin = Admin.create(ClientProperties.admin(kafka, "topic-setup"))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (NewTopic topic : wanted()) {
        if (!existing.contains(topic.name())) {
          missing.add(topic);
        }
      }
      if (!missing.isEmpty()) {
        createAll(admin, missing);
        awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
      }
      checkReplication(admin);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException || e.getCause() instanceof AuthorizationException) {
        // a wrong password or a missing ACL is mended by an operator, not by waiting
        throw new TopicMisconfiguredException(
            "Kafka at " + kafka.bootstrapServers() + " refused this service (" + describe(e) + "); check the "
                + "PRESSLINE_KAFKA_SECURITY_*, PRESSLINE_KAFKA_SSL_* and PRESSLINE_KAFKA_SASL_* settings and that "
                + "its user has the ACLs deploy/OPERATIONS.md lists (topics are created by an administrator "
                + "on a secured cluster)", e.getCause());
      }
      throw unavailable(e);
    } catch (TimeoutException e) {
      throw unavailable(e);
    }
  }

  private KafkaUnavailableException unavailable(Exception e) {
    return new KafkaUnavailableException(
          "cannot reach Kafka at " + kafka.bootstrapServers() + " to set up the topics ("
              + describe(e) + "); check PRESSLINE_KAFKA_BOOTSTRAP_SERVERS and that the cluster is up", e);
  }

  private void createAll(Admin admin, List<NewTopic> missing)
      throws InterruptedException, ExecutionException, TimeoutException {
      for (NewTopic topic : missing) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
          log.info("Created topic {} ({} partitions, {} replicas, {})",
              topic.name(), topic.numPartitions(), topic.replicationFactor(), topic.configs());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof InvalidReplicationFactorException) {
            throw new TopicMisconfiguredException(
                KafkaSettings.REPLICATION_FACTOR + " is " + kafka.replicationFactor() + " but the cluster at "
                    + kafka.bootstrapServers() + " cannot place that many replicas of " + topic.name() + " ("
                    + e.getCause().getMessage() + "); start more brokers or lower the setting", e.getCause());
          }
          // another service created it at the same moment: that is fine
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
  }

  /**
   * Refuses topics whose replication does not keep what {@code acks=all} promises; a cluster set up
   * by hand, or by an older version with a smaller factor, is found here rather than at the first
   * broker crash.
   */
  private void checkReplication(Admin admin)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> names = wanted().stream().map(NewTopic::name).toList();
    List<ConfigResource> resources =
        names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<String, TopicDescription> described = new TreeMap<>();
    Map<String, Integer> minInsyncReplicas = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        described.putAll(admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS));
        admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS)
            .forEach((resource, config) -> minInsyncReplicas.put(resource.name(),
                Integer.parseInt(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value())));
        break;
      } catch (ExecutionException e) {
        // a topic another broker created a moment ago may not be known yet to the broker we asked
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
    List<String> problems = new ReplicationCheck(kafka.replicationFactor()).problems(described, minInsyncReplicas);
    if (!problems.isEmpty()) {
      throw new TopicMisconfiguredException(
          "the Kafka topics at " + kafka.bootstrapServers() + " cannot be used safely: "
              + String.join("; ", problems));
    }
  }

  /**
   * Waits until every partition of the new topics has a leader: a consumer that asks for the
   * partitions of a topic created a moment ago may otherwise be told there are none.
   */
  private static void awaitLeaders(Admin admin, List<String> names)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        Map<String, TopicDescription> described =
            admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
        boolean ready =
            described.values().stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (ready) {
          return;
        }
      } catch (ExecutionException e) {
        // not known yet to the broker we asked: ask again
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("topics " + names + " have no leader after 30 s");
      }
      Thread.sleep(50);
    }
  }

  private static String describe(Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    String message = cause.getMessage();
    return message == null ? "no answer in time" : message;
  }

  List<NewTopic> wanted() {
    TopicNames names = kafka.topics();
    short rf = kafka.replicationFactor();
    // acks=all is answered once this many replicas have a record (see ReplicationCheck)
    Map<String, String> durable =
        Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(ReplicationCheck.minInsyncReplicasFor(rf)));
    Map<String, String> compacted = new HashMap<>(durable);
    compacted.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    // catalogue and subscriber list must never lose their latest value
    compacted.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0");
    return List.of(
        new NewTopic(names.posts(), 1, rf).configs(compacted),
        new NewTopic(names.subscribers(), 1, rf).configs(compacted),
        new NewTopic(names.deliveries(), kafka.deliveriesPartitions(), rf).configs(durable),
        new NewTopic(names.deliveryLog(), kafka.deliveriesPartitions(), rf).configs(compacted),
        // a history, not a state: kept for the broker's retention time, one partition keeps the order
        new NewTopic(names.fileOutcomes(), 1, rf).configs(durable));
  }
}
