package dev.pressline.support.testing;

import static org.awaitility.Awaitility.await;

import dev.pressline.support.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A KRaft cluster of combined broker-and-controller nodes, each a process of its own (see
 * {@link BrokerNode}), formatted with one cluster id and a static quorum of all nodes as voters.
 * One Admin client, kept open, answers the questions tests ask about leaders.
 */
final class ProcessCluster implements KafkaCluster, AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final Path dir;
  private final List<BrokerNode> nodes;
  private final Admin admin;

  private ProcessCluster(Path dir, List<BrokerNode> nodes, ClusterSecurity security) {
    this.dir = dir;
    this.nodes = List.copyOf(nodes);
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    if (security != null) {
      props.putAll(security.admin().properties());
    }
    // a question to a killed broker should move on to another one quickly
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    this.admin = Admin.create(props);
  }

  /** Formats {@code size} nodes under {@code dir}, starts them all and returns once every broker is registered. */
  static ProcessCluster start(Path dir, int size) {
    return start(dir, size, null);
  }

  /** Starts like {@link #start(Path, int)}, secured as {@code security} says when it is not null. */
  static ProcessCluster start(Path dir, int size, ClusterSecurity security) {
    String clusterId = Uuid.randomUuid().toString();
    List<int[]> ports = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(new int[] {freePort(), freePort()});
    }
    StringBuilder voters = new StringBuilder();
    for (int i = 0; i < size; i++) {
      voters.append(i == 0 ? "" : ",").append(i + 1).append("@localhost:").append(ports.get(i)[1]);
    }
    List<BrokerNode> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int nodeId = i + 1;
      Path nodeDir = dir.resolve("node-" + nodeId);
      Path config = nodeDir.resolve("server.properties");
      Properties props = nodeProperties(nodeId, nodeDir, ports.get(i)[0], ports.get(i)[1], voters.toString());
      if (security != null) {
        security.configure(props, ports.get(i)[0], ports.get(i)[1]);
      }
      try {
        Files.createDirectories(nodeDir);
        try (var out = Files.newOutputStream(config)) {
          props.store(out, "node " + nodeId + " of a pressline test cluster");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare Kafka node " + nodeId + " in " + nodeDir, e);
      }
      if (security == null) {
        EmbeddedKafkaBroker.format(nodeDir, config, clusterId);
      } else {
        EmbeddedKafkaBroker.format(nodeDir, config, clusterId, security.formatCredentials());
      }
      nodes.add(new BrokerNode(nodeId, ports.get(i)[0], config, nodeDir.resolve("broker.log")));
    }
    nodes.forEach(BrokerNode::start);
    ProcessCluster cluster = new ProcessCluster(dir, nodes, security);
    try {
      cluster.awaitRegistered(nodes.stream().map(BrokerNode::nodeId).collect(Collectors.toSet()));
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /**
   * One combined broker and controller. Internal topics are replicated like the pipeline's own;
   * timeouts are Kafka's defaults, so a killed leader is replaced as slowly as in production (the
   * controller fences a broker whose heartbeats stop after {@code broker.session.timeout.ms}, 9 s).
   */
  private static Properties nodeProperties(
      int nodeId, Path nodeDir, int brokerPort, int controllerPort, String voters) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    // a static quorum: every node is a voter, so any one of three can die and a majority remains
    p.put("controller.quorum.voters", voters);
    p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", nodeDir.resolve("log").toString());
    // consumer offsets and transactions must survive a broker crash as the posts do
    String replicas = Short.toString(REPLICATION_FACTOR);
    String minIsr = Integer.toString(MIN_INSYNC_REPLICAS);
    p.put("offsets.topic.replication.factor", replicas);
    p.put("transaction.state.log.replication.factor", replicas);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("share.coordinator.state.topic.replication.factor", replicas);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    // min.insync.replicas stays at Kafka's default (1): what a topic gets is what its creator asked for
    p.put("unclean.leader.election.enable", "false");
    // single partitions for internal topics start faster
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    return p;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private void awaitRegistered(Set<Integer> ids) {
    await("brokers " + ids + " registered (logs under " + dir + ")")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              for (int id : ids) {
                if (!node(id).isRunning()) {
                  throw new IllegalStateException("broker " + id + " exited; see " + node(id).log());
                }
              }
              return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                  .map(Node::id)
                  .collect(Collectors.toSet())
                  .containsAll(ids);
            });
  }

  @Override
  public String bootstrapServers() {
    return nodes.stream().map(BrokerNode::address).collect(Collectors.joining(","));
  }

  @Override
  public List<Integer> nodeIds() {
    return nodes.stream().map(BrokerNode::nodeId).toList();
  }

  @Override
  public int leaderOf(String topic, int partition) {
    int[] leader = {Node.noNode().id()};
    await("a leader for " + topic + "-" + partition)
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              Node node = partitionInfo(topic, partition).leader();
              leader[0] = node == null ? Node.noNode().id() : node.id();
              return leader[0] >= 0 && node(leader[0]).isRunning();
            });
    return leader[0];
  }

  private TopicPartitionInfo partitionInfo(String topic, int partition) throws Exception {
    TopicDescription description =
        admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
    return description.partitions().get(partition);
  }

  @Override
  public int activeController() {
    int[] leader = {-1};
    await("a leader of the metadata quorum")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              leader[0] = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
              return leader[0] >= 0;
            });
    return leader[0];
  }

  @Override
  public boolean isRunning(int nodeId) {
    return node(nodeId).isRunning();
  }

  @Override
  public void kill(int nodeId) {
    node(nodeId).kill();
  }

  @Override
  public void stop(int nodeId) {
    node(nodeId).stop();
  }

  @Override
  public void restart(int nodeId) {
    node(nodeId).start();
    awaitRegistered(Set.of(nodeId));
  }

  /** Restarts every broker a test left killed, so the next test finds the whole cluster. */
  void restartKilled() {
    for (BrokerNode node : nodes) {
      if (!node.isRunning()) {
        restart(node.nodeId());
      }
    }
  }

  @Override
  public void awaitFullyReplicated(String topic) {
    await("every replica of " + topic + " in sync")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              TopicDescription d =
                  admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
              return d.partitions().stream().allMatch(p -> p.isr().size() == p.replicas().size());
            });
  }

  @Override
  public void createTopic(String name, int partitions) {
    NewTopic topic =
        new NewTopic(name, partitions, REPLICATION_FACTOR)
            .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(MIN_INSYNC_REPLICAS)));
    try {
      admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + name + " on the test cluster", e);
    }
    for (int p = 0; p < partitions; p++) {
      leaderOf(name, p);
    }
  }

  private BrokerNode node(int nodeId) {
    return nodes.stream()
        .filter(n -> n.nodeId() == nodeId)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no broker " + nodeId + " in " + nodeIds()));
  }

  /** The cluster's own admin client (the administrator on a secured cluster). */
  Admin admin() {
    return admin;
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    nodes.forEach(BrokerNode::kill);
  }
}
