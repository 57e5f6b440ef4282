package dev.pressline.reliability.chaos;

import static org.awaitility.Awaitility.await;

import dev.pressline.reliability.process.ChildJvm;
import dev.pressline.reliability.process.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One pipeline service running as its own JVM from its {@code XMain}, on a port it keeps across restarts. */
public final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final String mainClass;
  private final Map<String, String> env;
  private final int port;
  private final Path log;
  private final String maxHeap;
  private final Http http = new Http();
  private ChildJvm jvm;
  private int kills;

  ServiceProcess(String name, String mainClass, Map<String, String> env, int port, Path log) {
    this(name, mainClass, env, port, log, "384m");
  }

  /** As above, with the child's {@code -Xmx} (e.g. {@code 256m}) where many JVMs share the machine. */
  public ServiceProcess(String name, String mainClass, Map<String, String> env, int port, Path log, String maxHeap) {
    this.name = name;
    this.maxHeap = maxHeap;
    this.mainClass = mainClass;
    this.env = Map.copyOf(env);
    this.port = port;
    this.log = log;
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public int kills() {
    return kills;
  }

  /** Starts the JVM and returns how long it took until {@code /health} answered 200. */
  public Duration start() {
    long started = System.nanoTime();
    jvm = ChildJvm.start(name, mainClass, List.of(), env, maxHeap, log);
    awaitHealthy();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  public void awaitHealthy() {
    await(name + " healthy on port " + port + " (log: " + log + ")")
        .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!jvm.isAlive()) {
            throw new AssertionError(name + " exited; see " + log);
          }
          return http.status(port, "/health") == 200;
        });
  }

  /** {@code kill -9}, then a new JVM; returns the time from the kill until it was healthy again. */
  public Duration killAndRestart() {
    long killed = System.nanoTime();
    jvm.kill9();
    kills++;
    start();
    return Duration.ofNanos(System.nanoTime() - killed);
  }

  /** {@code kill -9} for good: the instance does not come back. */
  public void kill() {
    jvm.kill9();
    kills++;
  }

  public boolean isAlive() {
    return jvm != null && jvm.isAlive();
  }

  public void stop() {
    if (jvm != null) {
      jvm.stop();
    }
  }

  @Override
  public void close() {
    if (jvm != null) {
      jvm.close();
    }
  }
}
