package dev.pressline.support.testing;

import dev.pressline.support.kafka.KafkaClientSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What makes a test cluster a secured one, as production runs it: a certificate authority made for
 * this run, one broker certificate it signed (for {@code localhost}), client listeners that take only
 * TLS with SASL/SCRAM-SHA-512, a controller listener that takes only TLS with the broker certificate,
 * and Kafka's {@code StandardAuthorizer}, which refuses whatever no ACL allows. The administrator
 * {@value #ADMIN} is a super user, its SCRAM credential written into the log when it is formatted.
 *
 * <p>Certificates are made with the JDK's {@code keytool}, run as a process: nothing beyond the JDK is
 * needed, and keys never leave the cluster's folder.
 */
final class ClusterSecurity {

  static final String ADMIN = "admin";
  static final String MECHANISM = "SCRAM-SHA-512";
  /** The principal brokers and controllers have on the controller listener: their certificate's name. */
  private static final String BROKER_PRINCIPAL = "CN=pressline-broker";
  private static final String CLIENT_LISTENER = "SECURE";

  private final Path truststore;
  private final Path keystore;
  private final String storePassword;
  private final String adminPassword;

  private ClusterSecurity(Path truststore, Path keystore, String storePassword, String adminPassword) {
    this.truststore = truststore;
    this.keystore = keystore;
    this.storePassword = storePassword;
    this.adminPassword = adminPassword;
  }

  /** Makes a certificate authority, a broker key signed by it, and a truststore holding the authority. */
  static ClusterSecurity create(Path dir) {
    Path tls;
    try {
      tls = Files.createDirectories(dir.resolve("tls"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the certificate folder under " + dir, e);
    }
    String password = UUID.randomUUID().toString();
    String ca = tls.resolve("ca.p12").toString();
    String broker = tls.resolve("broker.p12").toString();
    String trust = tls.resolve("truststore.p12").toString();
    String caPem = tls.resolve("ca.pem").toString();
    String csr = tls.resolve("broker.csr").toString();
    String signed = tls.resolve("broker.pem").toString();
    keytool(password, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=Pressline test CA", "-ext", "bc:c", "-validity", "2", "-keystore", ca);
    keytool(password, "-exportcert", "-alias", "ca", "-rfc", "-keystore", ca, "-file", caPem);
    keytool(password, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", BROKER_PRINCIPAL, "-validity", "2", "-keystore", broker);
    keytool(password, "-certreq", "-alias", "broker", "-keystore", broker, "-file", csr);
    // clients check the broker's name (ssl.endpoint.identification.algorithm=https): it must be localhost
    keytool(password, "-gencert", "-alias", "ca", "-keystore", ca, "-infile", csr, "-outfile", signed, "-rfc",
        "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2");
    keytool(password, "-importcert", "-noprompt", "-alias", "ca", "-keystore", broker, "-file", caPem);
    keytool(password, "-importcert", "-alias", "broker", "-keystore", broker, "-file", signed);
    keytool(password, "-importcert", "-noprompt", "-alias", "ca", "-keystore", trust, "-file", caPem);
    return new ClusterSecurity(Path.of(trust), Path.of(broker), password, UUID.randomUUID().toString());
  }

  private static void keytool(String password, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
    if (List.of(args).contains("-genkeypair") || List.of(args).contains("-certreq")
        || List.of(args).contains("-gencert")) {
      command.addAll(List.of("-keypass", password));
    }
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making test certificates", e);
    }
  }

  /** The {@code --add-scram} argument that gives the administrator its credential at format time. */
  List<String> formatCredentials() {
    return List.of(MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]");
  }

  /** Listeners, TLS, SASL and authorizer settings for one combined broker and controller. */
  void configure(Properties p, int brokerPort, int controllerPort) {
    p.put("listeners", CLIENT_LISTENER + "://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", CLIENT_LISTENER + "://localhost:" + brokerPort);
    p.put("inter.broker.listener.name", CLIENT_LISTENER);
    p.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_SSL,CONTROLLER:SSL");
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", keystore.toString());
    p.put("ssl.keystore.password", storePassword);
    p.put("ssl.key.password", storePassword);
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.password", storePassword);
    // SCRAM credentials live in the metadata log, which controllers cannot read before they form a
    // quorum: controllers and the brokers' connections to them prove who they are by certificate
    p.put("listener.name.controller.ssl.client.auth", "required");
    p.put("sasl.enabled.mechanisms", MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    p.put("listener.name." + CLIENT_LISTENER.toLowerCase() + "." + MECHANISM.toLowerCase() + ".sasl.jaas.config",
        jaas(ADMIN, adminPassword));
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + ADMIN + ";User:" + BROKER_PRINCIPAL);
    p.put("allow.everyone.if.no.acl.found", "false");
  }

  /** What a client needs to connect as {@code user}: TLS checked against the test authority, and SCRAM. */
  KafkaClientSecurity client(String user, String password) {
    return KafkaClientSecurity.of(Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", MECHANISM,
        "sasl.jaas.config", jaas(user, password),
        "ssl.truststore.type", "PKCS12",
        "ssl.truststore.location", truststore.toString(),
        "ssl.truststore.password", storePassword));
  }

  KafkaClientSecurity admin() {
    return client(ADMIN, adminPassword);
  }

  Path truststore() {
    return truststore;
  }

  String truststorePassword() {
    return storePassword;
  }

  static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";";
  }
}
