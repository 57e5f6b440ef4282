package dev.pressline.support.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives tests a real three-broker KRaft cluster of Apache Kafka, each broker (a combined broker and
 * controller) in a JVM of its own, so a test can {@code kill -9} one and start it again. Declare a
 * {@link KafkaCluster} parameter to receive it. No Docker is needed: the brokers run
 * {@code kafka.Kafka} from the test's own classpath.
 *
 * <p>One cluster is shared by all tests of a JVM and stopped when they end; tests keep apart
 * through {@link KafkaCluster#freshSettings()}. Before each test every broker a previous test left
 * killed is started again, so each test begins with the whole cluster.
 */
public final class KafkaClusterExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  private static final Logger log = LoggerFactory.getLogger(KafkaClusterExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaClusterExtension.class);
  private static final int SIZE = 3;

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    cluster(context).cluster().restartKilled();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return cluster(context).cluster();
  }

  private static RunningCluster cluster(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("cluster", key -> start(), RunningCluster.class);
  }

  private static RunningCluster start() {
    try {
      Path dir = Files.createTempDirectory("pressline-kafka-cluster");
      long started = System.nanoTime();
      ProcessCluster cluster = ProcessCluster.start(dir, SIZE);
      log.info("Tests use a {}-broker KRaft cluster, one JVM per broker, at {} (started in {} ms; logs in {})",
          SIZE, cluster.bootstrapServers(), (System.nanoTime() - started) / 1_000_000, dir);
      return new RunningCluster(cluster);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("deprecation") // CloseableResource is what JUnit 5.x closes at the end of the run
  private record RunningCluster(ProcessCluster cluster)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    @Override
    public void close() {
      cluster.close();
      deleteTree(cluster.dir());
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("Could not delete the test cluster's folder {}: {}", dir, e.getMessage());
    }
  }
}
