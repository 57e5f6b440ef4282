package dev.pressline.support.testing;

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

/**
 * Gives tests a secured three-broker KRaft cluster ({@link SecuredKafkaCluster}): TLS with a
 * certificate authority made for the run, SASL/SCRAM-SHA-512, and ACLs enforced. Declare a
 * {@link SecuredKafkaCluster} parameter to receive it. One cluster is shared by the tests of a JVM;
 * they keep apart through {@link KafkaCluster#freshSettings()} and users of their own.
 */
public final class SecuredKafkaClusterExtension implements BeforeAllCallback, ParameterResolver {

  private static final Logger log = LoggerFactory.getLogger(SecuredKafkaClusterExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SecuredKafkaClusterExtension.class);
  private static final int SIZE = 3;

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SecuredKafkaCluster.class;
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
      Path dir = Files.createTempDirectory("pressline-secured-cluster");
      long started = System.nanoTime();
      SecuredProcessCluster cluster = SecuredProcessCluster.start(dir, SIZE);
      log.info("Tests use a secured {}-broker KRaft cluster (SASL_SSL, SCRAM-SHA-512, ACLs) at {} "
              + "(started in {} ms; logs in {})",
          SIZE, cluster.bootstrapServers(), (System.nanoTime() - started) / 1_000_000, dir);
      return new RunningCluster(cluster);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a folder for the secured test cluster", e);
    }
  }

  @SuppressWarnings("deprecation") // CloseableResource is what JUnit 5.x closes at the end of the run
  private record RunningCluster(SecuredProcessCluster cluster)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    @Override
    public void close() {
      cluster.close();
      try (Stream<Path> paths = Files.walk(cluster.dir())) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        log.warn("Could not delete the secured test cluster's folder {}: {}", cluster.dir(), e.getMessage());
      }
    }
  }
}
