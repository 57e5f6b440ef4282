package dev.pressline.reliability.chaos;

import dev.pressline.reliability.process.ChildJvm;
import dev.pressline.reliability.process.FreePort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker in its own JVM ({@code kafka.Kafka server.properties}), so
 * the chaos run can stop and restart it under the services' feet. Its log survives restarts.
 */
final class BrokerProcess implements AutoCloseable {

  private final Path dir;
  private final Path config;
  private final int port;
  private ChildJvm jvm;

  BrokerProcess(Path dir) {
    this.dir = dir;
    this.config = dir.resolve("server.properties");
    this.port = FreePort.pick();
    int controllerPort = FreePort.pick();
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
    p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.resolve("log").toString());
    // one node: every internal topic has exactly one replica
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    try {
      Files.createDirectories(dir);
      try (var out = Files.newOutputStream(config)) {
        p.store(out, "chaos run broker");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    format();
  }

  private void format() {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int code = StorageTool.execute(new String[] {"format", "--standalone", "-t", Uuid.randomUuid().toString(),
        "-c", config.toString()}, new PrintStream(output, true, StandardCharsets.UTF_8));
    if (code != 0) {
      throw new IllegalStateException("formatting the broker's log failed: " + output.toString(StandardCharsets.UTF_8));
    }
  }

  String bootstrapServers() {
    return "localhost:" + port;
  }

  /** Starts the broker JVM and returns once it answers a metadata request. */
  void start() {
    jvm = ChildJvm.start("kafka", "kafka.Kafka", List.of(config.toString()), Map.of(), "768m",
        dir.resolve("broker.log"));
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    try (Admin admin = Admin.create(props)) {
      while (true) {
        try {
          admin.describeCluster().nodes().get();
          return;
        } catch (Exception e) {
          if (!jvm.isAlive() || System.nanoTime() > deadline) {
            throw new IllegalStateException("the broker did not start; see " + dir.resolve("broker.log"), e);
          }
        }
      }
    }
  }

  /** A controlled stop (SIGTERM): the broker writes its clean-shutdown marker. */
  void stop() {
    jvm.stop();
  }

  @Override
  public void close() {
    if (jvm != null) {
      jvm.close();
    }
  }
}
