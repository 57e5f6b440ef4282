package dev.pressline.support.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in this JVM, from
 * Apache Kafka's own artifacts. The launcher uses it for the one-command demo and tests use it where
 * no Docker engine is available. Its data survives a restart when started on the same folder.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  // remembered in server.properties (Kafka ignores unknown keys there)
  private static final String BROKER_PORT = "pressline.broker.port";
  private static final String CONTROLLER_PORT = "pressline.controller.port";

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDir;

  private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
  }

  /**
   * Starts a broker that keeps its log in {@code dataDir} (formatted on first use) and listens on
   * {@code port} on localhost, or on a free port when {@code port} is 0.
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
      Path configFile = dataDir.resolve("server.properties");
      Properties previous = previousRun(configFile);
      // the controller's address is written into the metadata log at format time: keep it across runs
      int controllerPort = intOr(previous.getProperty(CONTROLLER_PORT), freePort());
      int brokerPort = port != 0 ? port : intOr(previous.getProperty(BROKER_PORT), freePort());
      Properties props = brokerProperties(dataDir, brokerPort, controllerPort);
      props.put(BROKER_PORT, Integer.toString(brokerPort));
      props.put(CONTROLLER_PORT, Integer.toString(controllerPort));
      try (var out = Files.newOutputStream(configFile)) {
        props.store(out, "written by pressline for the embedded broker");
      }
      if (!Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
        format(dataDir, configFile);
      }
      KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      String bootstrap = "localhost:" + brokerPort;
      log.info("Embedded Kafka broker started on {} with data in {}", bootstrap, dataDir);
      return new EmbeddedKafkaBroker(server, bootstrap, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the embedded Kafka broker in " + dataDir, e);
    }
  }

  private static Properties previousRun(Path configFile) throws IOException {
    Properties previous = new Properties();
    if (Files.exists(configFile)) {
      try (var in = Files.newInputStream(configFile)) {
        previous.load(in);
      }
    }
    return previous;
  }

  private static int intOr(String value, int fallback) {
    return value == null ? fallback : Integer.parseInt(value);
  }

  /**
   * The settings of a single-node KRaft broker (broker and controller in one) on localhost, keeping
   * its log under {@code dataDir}: used here and for a broker in a process of its own.
   */
  public static Properties brokerProperties(Path dataDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
    p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dataDir.resolve("log").toString());
    // one node: every internal topic has exactly one replica
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // single partitions for internal topics start about 250 ms faster
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.num.partitions", "1");
    // consumers in tests and the demo should not wait 3 s for a rebalance
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    // compacted topics shrink while the demo runs, as they would in production
    p.put("log.cleaner.backoff.ms", "1000");
    return p;
  }

  /** Formats a fresh log folder for the broker configured in {@code configFile}. */
  public static void format(Path dataDir, Path configFile) {
    formatWith(dataDir, "format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString());
  }

  /**
   * Formats a fresh log folder for one node of a cluster: every node gets the same {@code clusterId},
   * and the quorum is the static {@code controller.quorum.voters} of {@code configFile}.
   */
  public static void format(Path dataDir, Path configFile, String clusterId) {
    formatWith(dataDir, "format", "-t", clusterId, "-c", configFile.toString());
  }

  /**
   * Formats like {@link #format(Path, Path, String)} and writes SCRAM credentials into the metadata
   * log, so that brokers can authenticate to each other from their first start; each entry is one
   * {@code --add-scram} argument, such as {@code SCRAM-SHA-512=[name=admin,password=secret]}.
   */
  public static void format(Path dataDir, Path configFile, String clusterId, List<String> scramCredentials) {
    List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", configFile.toString()));
    for (String credential : scramCredentials) {
      args.add("--add-scram");
      args.add(credential);
    }
    formatWith(dataDir, args.toArray(String[]::new));
  }

  private static void formatWith(Path dataDir, String... args) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
    int code = StorageTool.execute(args, print);
    if (code != 0) {
      throw new IllegalStateException(
          "formatting the Kafka log in " + dataDir + " failed: " + output.toString(StandardCharsets.UTF_8));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    log.info("Embedded Kafka broker on {} stopped", bootstrapServers);
  }
}
