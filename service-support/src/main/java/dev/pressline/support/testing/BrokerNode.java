package dev.pressline.support.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One broker of a {@link KafkaCluster}: {@code kafka.Kafka server.properties} in a JVM of its own,
 * on this JVM's classpath (Apache Kafka's own artifacts), with its output appended to a log file
 * beside its data. Its ports and log folder stay the same across kills and restarts.
 */
final class BrokerNode {

  /** Small heaps: three brokers share a two-core CI machine with the tests and the services. */
  private static final String MAX_HEAP = "-Xmx256m";

  private final int nodeId;
  private final int brokerPort;
  private final Path config;
  private final Path log;
  private Process process;

  BrokerNode(int nodeId, int brokerPort, Path config, Path log) {
    this.nodeId = nodeId;
    this.brokerPort = brokerPort;
    this.config = config;
    this.log = log;
  }

  int nodeId() {
    return nodeId;
  }

  String address() {
    return "localhost:" + brokerPort;
  }

  Path log() {
    return log;
  }

  synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException("broker " + nodeId + " is already running");
    }
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            MAX_HEAP,
            // a broker that is killed and restarted must not spend the two cores on a full JIT
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            "kafka.Kafka",
            config.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      process = builder.start();
      killWhenThisJvmIsGone(process.pid());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Kafka broker " + nodeId, e);
    }
  }

  /**
   * A test JVM killed hard (a CI time limit, a developer's {@code kill -9}) runs no cleanup, and its
   * brokers would go on holding ports, memory and CPU. A small shell loop beside each broker kills it
   * once this JVM is gone, and ends by itself as soon as the broker does.
   */
  private static void killWhenThisJvmIsGone(long child) throws IOException {
    long parent = ProcessHandle.current().pid();
    String loop =
        "while kill -0 " + parent + " 2>/dev/null; do kill -0 " + child + " 2>/dev/null || exit 0; "
            + "sleep 2; done; kill -9 " + child + " 2>/dev/null";
    new ProcessBuilder("sh", "-c", loop)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * SIGTERM, and waits until the process is gone: the broker moves its leaderships away first
   * (controlled shutdown), which on a loaded machine can take a while, so SIGKILL only after a minute.
   */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping broker " + nodeId, e);
    }
  }

  /** SIGKILL, and waits until the process is gone. */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("broker " + nodeId + " did not die within 30 s of SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing broker " + nodeId, e);
    }
  }
}
