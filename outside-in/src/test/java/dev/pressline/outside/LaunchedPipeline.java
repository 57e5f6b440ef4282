package dev.pressline.outside;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code ./pipeline up} as a user runs it: the launcher jar in its own process, on free ports, with
 * a fresh data folder under {@code target/outside-in}. One pipeline serves every test class of a
 * run (JUnit's root store closes it at the end); each test drops posts under names of its own.
 */
final class LaunchedPipeline implements ExtensionContext.Store.CloseableResource, AutoCloseable {

  static final String DEMO_SUBSCRIBER = "reader@example.com";

  private final JarProcess process;
  private final Path dataDir;
  private final int feedPort;
  private final int publisherPort;
  private final int ingestPort;
  private final int mailCatcherPort;
  private final int consolePort;

  private LaunchedPipeline(
      JarProcess process, Path dataDir, int feedPort, int publisherPort, int ingestPort, int mailCatcherPort,
      int consolePort) {
    this.process = process;
    this.dataDir = dataDir;
    this.feedPort = feedPort;
    this.publisherPort = publisherPort;
    this.ingestPort = ingestPort;
    this.mailCatcherPort = mailCatcherPort;
    this.consolePort = consolePort;
  }

  static LaunchedPipeline start(Path artefacts) throws IOException {
    Path dataDir = artefacts.resolve("pipeline-" + Instant.now().toEpochMilli());
    Map<String, Integer> ports = new HashMap<>();
    for (String name :
        List.of("KAFKA", "SMTP", "MAILCATCHER", "FEED", "PUBLISHER", "INGEST", "CONSOLE")) {
      ports.put(name, freePort());
    }
    Map<String, String> env = new HashMap<>();
    env.put("PRESSLINE_DATA_DIR", dataDir.toString());
    ports.forEach((name, port) -> env.put("PRESSLINE_" + name + "_PORT", Integer.toString(port)));
    env.put("PRESSLINE_DEMO_SUBSCRIBERS", DEMO_SUBSCRIBER);
    JarProcess process =
        JarProcess.start(ShippedJar.LAUNCHER, List.of("up"), env, dataDir.resolve("launcher.log"));
    LaunchedPipeline pipeline =
        new LaunchedPipeline(
            process, dataDir, ports.get("FEED"), ports.get("PUBLISHER"), ports.get("INGEST"),
            ports.get("MAILCATCHER"), ports.get("CONSOLE"));
    pipeline.awaitRunning();
    return pipeline;
  }

  private void awaitRunning() {
    Web web = new Web();
    await("the launcher jar running, with every service ready (log: " + process.log() + ")")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError("the launcher exited:\n" + process.output());
              }
              return process.output().contains("Pressline is running")
                  && web.status(feedBase() + "/health/ready") == 200
                  && web.status(publisherBase() + "/health/ready") == 200
                  && web.status("http://localhost:" + ingestPort + "/health/ready") == 200
                  && web.status(consoleBase() + "/health") == 200;
            });
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  Path inbox() {
    return dataDir.resolve("inbox");
  }

  Path processed() {
    return dataDir.resolve("processed");
  }

  Path rejected() {
    return dataDir.resolve("rejected");
  }

  String feedBase() {
    return "http://localhost:" + feedPort;
  }

  String publisherBase() {
    return "http://localhost:" + publisherPort;
  }

  String mailCatcherBase() {
    return "http://localhost:" + mailCatcherPort;
  }

  String consoleBase() {
    return "http://localhost:" + consolePort;
  }

  /** The console's admin token, as the launcher made it and keeps it for the next run. */
  String consoleAdminToken() throws IOException {
    return Files.readString(dataDir.resolve("state").resolve("console-admin-token")).strip();
  }

  String log() {
    return process.output();
  }

  /** Writes {@code bytes} into the inbox the way a careful editor's tool does: elsewhere, then renamed. */
  Path drop(String name, byte[] bytes) throws IOException {
    Path staging = Files.createDirectories(dataDir.resolve("staging"));
    Path tmp = staging.resolve(name);
    Files.write(tmp, bytes);
    return Files.move(tmp, inbox().resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    process.close();
  }

  /** Injects the one pipeline of this test run. */
  static final class Extension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == LaunchedPipeline.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context
          .getRoot()
          .getStore(ExtensionContext.Namespace.create(LaunchedPipeline.class))
          .getOrComputeIfAbsent(
              "pipeline",
              key -> {
                try {
                  return start(artefacts());
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              LaunchedPipeline.class);
    }
  }

  /** Where logs, data and screenshots of this run are kept for CI to keep. */
  static Path artefacts() {
    return Path.of(System.getProperty("pressline.artefacts", "target/outside-in")).toAbsolutePath();
  }
}
