package dev.pressline.support.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics when they are missing, with the settings the design relies on.
 * Every service calls it at start, so any one of them can be first on an empty cluster.
 */
public final class TopicSetup {

  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

  private final KafkaSettings kafka;

  public TopicSetup(KafkaSettings kafka) {
    this.kafka = kafka;
  }

  public void ensureTopics() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (NewTopic topic : wanted()) {
        if (!existing.contains(topic.name())) {
          missing.add(topic);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      createAll(admin, missing);
      awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaUnavailableException(
          "cannot reach Kafka at " + kafka.bootstrapServers() + " to set up the topics ("
              + describe(e) + "); check PRESSLINE_KAFKA_BOOTSTRAP_SERVERS and that the cluster is up", e);
    }
  }

  private static void createAll(Admin admin, List<NewTopic> missing)
      throws InterruptedException, ExecutionException, TimeoutException {
      for (NewTopic topic : missing) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
          log.info("Created topic {} ({} partitions, {})", topic.name(), topic.numPartitions(), topic.configs());
        } catch (ExecutionException e) {
          // another service created it at the same moment: that is fine
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
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
    Map<String, String> compacted =
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            // catalogue and subscriber list must never lose their latest value
            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0");
    short rf = kafka.replicationFactor();
    return List.of(
        new NewTopic(names.posts(), 1, rf).configs(compacted),
        new NewTopic(names.subscribers(), 1, rf).configs(compacted),
        new NewTopic(names.deliveries(), kafka.deliveriesPartitions(), rf),
        new NewTopic(names.deliveryLog(), kafka.deliveriesPartitions(), rf).configs(compacted));
  }
}
