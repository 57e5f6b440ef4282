package dev.pressline.reliability.chaos;

import static org.awaitility.Awaitility.await;

import dev.pressline.reliability.process.ChildJvm;
import dev.pressline.reliability.process.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One pipeline service running as its own JVM from its {@code XMain}, on a port it keeps across restarts. */
final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final String mainClass;
  private final Map<String, String> env;
  private final int port;
  private final Path log;
  private final Http http = new Http();
  private ChildJvm jvm;
  private int kills;

  ServiceProcess(String name, String mainClass, Map<String, String> env, int port, Path log) {
    this.name = name;
    this.mainClass = mainClass;
    this.env = Map.copyOf(env);
    this.port = port;
    this.log = log;
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  int kills() {
    return kills;
  }

  /** Starts the JVM and returns how long it took until {@code /health} answered 200. */
  Duration start() {
    long started = System.nanoTime();
    jvm = ChildJvm.start(name, mainClass, List.of(), env, "384m", log);
    awaitHealthy();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  void awaitHealthy() {
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
  Duration killAndRestart() {
    long killed = System.nanoTime();
    jvm.kill9();
    kills++;
    start();
    return Duration.ofNanos(System.nanoTime() - killed);
  }

  boolean isAlive() {
    return jvm != null && jvm.isAlive();
  }

  void stop() {
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
