package dev.pressline.support.testing;

import dev.pressline.support.kafka.KafkaClientSecurity;
import java.nio.file.Path;
import java.util.Collection;
import org.apache.kafka.common.acl.AclBinding;

/**
 * A {@link KafkaCluster} that takes only TLS connections authenticated with SASL/SCRAM-SHA-512, and
 * allows only what an ACL grants. {@link #freshSettings()} connects as the administrator (a super
 * user); tests make users with {@link #createUser} and give them ACLs with {@link #grant}.
 */
public interface SecuredKafkaCluster extends KafkaCluster {

  /** The SCRAM mechanism users authenticate with. */
  String MECHANISM = ClusterSecurity.MECHANISM;

  /** Creates (or replaces) a SCRAM-SHA-512 user and waits until every broker accepts it. */
  void createUser(String user, String password);

  /** Adds ACLs and waits until every broker applies them. */
  void grant(Collection<AclBinding> acls);

  /** Client settings for {@code user}: SASL_SSL, SCRAM, and the truststore that holds the test authority. */
  KafkaClientSecurity clientSecurity(String user, String password);

  /** The administrator's client settings. */
  KafkaClientSecurity adminSecurity();

  /** A PKCS12 truststore holding the certificate authority that signed the brokers' certificate. */
  Path truststore();

  String truststorePassword();

  /** The JAAS line a client uses to log in as {@code user}. */
  static String jaasConfig(String user, String password) {
    return ClusterSecurity.jaas(user, password);
  }
}
