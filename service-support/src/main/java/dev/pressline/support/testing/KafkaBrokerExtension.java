package dev.pressline.support.testing;

import dev.pressline.support.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Gives tests a real Kafka broker: a Testcontainers {@code KafkaContainer} when a Docker engine is
 * available, otherwise a KRaft broker started in-process from Kafka's own artifacts. One broker is
 * shared by all tests of a JVM and stopped when the JVM's tests end; tests keep apart through
 * {@link KafkaBroker#freshSettings()}. Declare a {@link KafkaBroker} parameter to receive it.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

  private static final Logger log = LoggerFactory.getLogger(KafkaBrokerExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
  /** Image used when Docker is there; override with -Dpressline.kafka.image=… */
  private static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

  @Override
  public void beforeAll(ExtensionContext context) {
    broker(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return broker(context);
  }

  static KafkaBroker broker(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("broker", key -> start(), RunningBroker.class);
  }

  private static RunningBroker start() {
    if (dockerAvailable()) {
      KafkaContainer container =
          new KafkaContainer(System.getProperty("pressline.kafka.image", DEFAULT_IMAGE));
      container.start();
      log.info("Tests use a Kafka broker in a Testcontainers container at {}", container.getBootstrapServers());
      return new RunningBroker(container.getBootstrapServers(), "Testcontainers", container::stop, null);
    }
    try {
      Path dir = Files.createTempDirectory("pressline-kafka-test");
      EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0);
      log.info("No Docker engine here: tests use an in-process KRaft broker at {}", broker.bootstrapServers());
      return new RunningBroker(broker.bootstrapServers(), "in-process KRaft broker", broker::close, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      log.debug("Docker check failed: {}", e.toString());
      return false;
    }
  }

  @SuppressWarnings("deprecation") // CloseableResource is what JUnit 5.x closes at the end of the run
  private record RunningBroker(String bootstrapServers, String kind, Runnable stop, Path dataDir)
      implements KafkaBroker, ExtensionContext.Store.CloseableResource, AutoCloseable {

    @Override
    public void close() {
      stop.run();
      if (dataDir != null) {
        deleteTree(dataDir);
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("Could not delete the test broker's folder {}: {}", dir, e.getMessage());
    }
  }
}
