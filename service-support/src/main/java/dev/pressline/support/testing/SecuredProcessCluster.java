package dev.pressline.support.testing;

import static org.awaitility.Awaitility.await;

import dev.pressline.support.kafka.KafkaClientSecurity;
import dev.pressline.support.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * A {@link ProcessCluster} started with {@link ClusterSecurity}, and what tests do on it as the
 * administrator: make users and grant them ACLs.
 */
final class SecuredProcessCluster implements SecuredKafkaCluster, AutoCloseable {

  private static final Duration PROPAGATION = Duration.ofSeconds(30);

  private final ProcessCluster cluster;
  private final ClusterSecurity security;

  private SecuredProcessCluster(ProcessCluster cluster, ClusterSecurity security) {
    this.cluster = cluster;
    this.security = security;
  }

  static SecuredProcessCluster start(Path dir, int size) {
    ClusterSecurity security = ClusterSecurity.create(dir);
    return new SecuredProcessCluster(ProcessCluster.start(dir, size, security), security);
  }

  @Override
  public void createUser(String user, String password) {
    try {
      cluster.admin()
          .alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
              user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the SCRAM user " + user + " on the test cluster", e);
    }
    // the credential reaches every broker through the metadata log, a moment later
    await("user " + user + " known to the cluster")
        .atMost(PROPAGATION)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> cluster.admin().describeUserScramCredentials(List.of(user)).all()
            .get(10, TimeUnit.SECONDS).containsKey(user));
  }

  @Override
  public void grant(Collection<AclBinding> acls) {
    try {
      cluster.admin().createAcls(acls).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create ACLs on the test cluster: " + acls, e);
    }
    await("ACLs applied")
        .atMost(PROPAGATION)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> cluster.admin().describeAcls(AclBindingFilter.ANY).values()
            .get(10, TimeUnit.SECONDS).containsAll(acls));
  }

  @Override
  public KafkaClientSecurity clientSecurity(String user, String password) {
    return security.client(user, password);
  }

  @Override
  public KafkaClientSecurity adminSecurity() {
    return security.admin();
  }

  @Override
  public Path truststore() {
    return security.truststore();
  }

  @Override
  public String truststorePassword() {
    return security.truststorePassword();
  }

  /** Fresh topic names, with the administrator's credentials. */
  @Override
  public KafkaSettings freshSettings() {
    return SecuredKafkaCluster.super.freshSettings().withSecurity(security.admin());
  }

  @Override
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public List<Integer> nodeIds() {
    return cluster.nodeIds();
  }

  @Override
  public int leaderOf(String topic, int partition) {
    return cluster.leaderOf(topic, partition);
  }

  @Override
  public int activeController() {
    return cluster.activeController();
  }

  @Override
  public boolean isRunning(int nodeId) {
    return cluster.isRunning(nodeId);
  }

  @Override
  public void kill(int nodeId) {
    cluster.kill(nodeId);
  }

  @Override
  public void stop(int nodeId) {
    cluster.stop(nodeId);
  }

  @Override
  public void restart(int nodeId) {
    cluster.restart(nodeId);
  }

  @Override
  public void awaitFullyReplicated(String topic) {
    cluster.awaitFullyReplicated(topic);
  }

  @Override
  public void createTopic(String name, int partitions) {
    cluster.createTopic(name, partitions);
  }

  Path dir() {
    return cluster.dir();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
