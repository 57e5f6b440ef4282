package dev.pressline.reliability.chaos;

import dev.pressline.reliability.process.ChildJvm;
import dev.pressline.reliability.process.FreePort;
import dev.pressline.support.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

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
    Properties p = EmbeddedKafkaBroker.brokerProperties(dir, port, controllerPort);
    try {
      Files.createDirectories(dir);
      try (var out = Files.newOutputStream(config)) {
        p.store(out, "chaos run broker");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EmbeddedKafkaBroker.format(dir, config);
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
