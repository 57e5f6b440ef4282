package dev.pressline.reliability.secured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.console.ConsoleMain;
import dev.pressline.feed.FeedMain;
import dev.pressline.ingest.IngestMain;
import dev.pressline.publisher.PublisherMain;
import dev.pressline.publisher.subscribe.SubscriberWriter;
import dev.pressline.reliability.process.ChildJvm;
import dev.pressline.reliability.process.FreePort;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.KafkaClientSecurity;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.testing.SecuredKafkaCluster;
import dev.pressline.support.testing.SecuredKafkaClusterExtension;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three services and the console, each its own JVM and each its own SCRAM user with only the
 * ACLs deploy/OPERATIONS.md lists, on a three-broker cluster that takes only SASL_SSL: a post dropped
 * in the inbox reaches the subscriber's mailbox and the feed, the console shows it sent and the lag
 * of every reader, and no password reaches a log. Clients without credentials, with a wrong
 * password, or without TLS are refused.
 */
@ExtendWith(SecuredKafkaClusterExtension.class)
class SecuredClusterTest {

  private static final String READER = "reader@example.org";
  private static final List<String> SERVICES = List.of("ingest", "publisher", "feed", "console");
  private static final String CONSOLE_TOKEN = "secured-console-token-0123456789";
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  /** Where the feed and the console listen. */
  private record Ports(int feed, int console) {}

  @RegisterExtension
  static final GreenMailExtension smtp =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

  private final Http http = new Http();
  private final List<ChildJvm> services = new ArrayList<>();

  @AfterEach
  void stopServices() {
    services.forEach(ChildJvm::close);
  }

  @Test
  void servicesWithOnlyTheirListedAclsCarryAPostFromInboxToMailboxAndFeed(
      SecuredKafkaCluster cluster, @TempDir Path root) throws Exception {
    KafkaSettings admin = cluster.freshSettings();
    // on a secured cluster the administrator creates the topics; the services only check them
    new TopicSetup(admin).ensureTopics();
    try (SubscriberWriter writer = new SubscriberWriter(admin, "secured-subscribers", Clock.systemUTC())) {
      writer.writeAsync(READER, SubscriberStatus.CONFIRMED, "secured cluster test");
      writer.flush();
    }
    PipelineAcls acls = new PipelineAcls(admin.topics());
    String groupPrefix = admin.topics().prefix() + "publisher";
    Map<String, String> passwords = new HashMap<>();
    for (String service : SERVICES) {
      String user = user(service, admin);
      passwords.put(service, "pw-" + UUID.randomUUID());
      cluster.createUser(user, passwords.get(service));
    }
    cluster.grant(acls.ingest(user("ingest", admin)));
    cluster.grant(acls.feed(user("feed", admin)));
    cluster.grant(acls.publisher(user("publisher", admin), groupPrefix));
    cluster.grant(acls.console(user("console", admin), groupPrefix));

    Path inbox = Files.createDirectories(root.resolve("inbox"));
    Path logConfig = kafkaConfigLogging(root);
    Ports ports = startServices(cluster, admin, root, passwords, logConfig);
    int feedPort = ports.feed();

    drop(inbox, "secured", "Behind TLS and SCRAM");
    await("mail about the post to " + READER).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> subjectsTo(READER).contains("Behind TLS and SCRAM"));
    await("the post in the feed").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
        .until(() -> http.get(feedPort, "/feed.xml").body().contains("Behind TLS and SCRAM"));
    assertThat(subjectsTo(READER)).containsExactly("Behind TLS and SCRAM");
    // the feed commits how far its site is under its own group, which its ACLs allow: no lag left
    await("the feed's committed position at the end of posts").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> feedLag(cluster, admin, admin.topics().feedGroupPrefix() + "secured") == 0);

    // the console reads every topic and the readers' positions with its own user and nothing more
    String session = signIntoConsole(ports.console());
    await("the post sent, on the console's posts page").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> consolePage(ports.console(), "/", session), page -> page.contains("Behind TLS and SCRAM")
            && page.contains("1 sent"));
    await("no lag left for fan-out, mailers and the feed, on the console's status page").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> consolePage(ports.console(), "/status", session), page -> List.of("fan-out", "mailers",
            "feed secured").stream().allMatch(reader -> lagOf(page, reader).equals("0 record(s) behind")));

    for (String service : SERVICES) {
      String log = Files.readString(root.resolve(service + "-service.log"), StandardCharsets.UTF_8);
      // Kafka's own dump of each client's configuration is in the log (INFO), with the secrets masked
      assertThat(log).as(service + "'s log").contains("sasl.jaas.config = [hidden]");
      assertThat(log).as(service + "'s log")
          .doesNotContain(passwords.get(service), cluster.truststorePassword());
    }
  }

  @Test
  void refusesClientsWithoutTlsOrValidCredentialsAndUsersBeyondTheirAcls(SecuredKafkaCluster cluster)
      throws Exception {
    KafkaSettings admin = cluster.freshSettings();
    new TopicSetup(admin).ensureTopics();
    String feedUser = user("feed", admin);
    cluster.createUser(feedUser, "feed-password");
    cluster.grant(new PipelineAcls(admin.topics()).feed(feedUser));

    KafkaClientSecurity wrongPassword = cluster.clientSecurity(feedUser, "not-the-password");
    assertThatThrownBy(() -> listTopics(cluster, wrongPassword.properties()))
        .hasRootCauseInstanceOf(SaslAuthenticationException.class);

    Map<String, String> plaintext = Map.of("security.protocol", "PLAINTEXT");
    assertThatThrownBy(() -> listTopics(cluster, plaintext)).isInstanceOf(ExecutionException.class);

    Map<String, String> tlsWithoutLogin = Map.of(
        "security.protocol", "SSL",
        "ssl.truststore.type", "PKCS12",
        "ssl.truststore.location", cluster.truststore().toString(),
        "ssl.truststore.password", cluster.truststorePassword());
    assertThatThrownBy(() -> listTopics(cluster, tlsWithoutLogin)).isInstanceOf(ExecutionException.class);

    // the feed's own user gets in, but sees no subscriber: its ACLs allow reading posts only
    KafkaSettings feed = admin.withSecurity(cluster.clientSecurity(feedUser, "feed-password"));
    assertThat(listTopics(cluster, feed.security().properties())).contains(admin.topics().posts());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
        ClientProperties.reader(feed, "nosy-feed"), new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(new TopicPartition(admin.topics().subscribers(), 0)));
      consumer.seekToBeginning(consumer.assignment());
      assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
          .isInstanceOf(TopicAuthorizationException.class);
    }
  }

  /** Records of posts the group has not committed, as the administrator sees it; -1 before any commit. */
  private static long feedLag(SecuredKafkaCluster cluster, KafkaSettings admin, String group) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.putAll(admin.security().properties());
    try (Admin client = Admin.create(props)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          client.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
      TopicPartition posts = new TopicPartition(admin.topics().posts(), 0);
      if (committed.get(posts) == null) {
        return -1;
      }
      long end = client.listOffsets(Map.of(posts, OffsetSpec.latest())).partitionResult(posts)
          .get(20, TimeUnit.SECONDS).offset();
      return end - committed.get(posts).offset();
    }
  }

  private static java.util.Set<String> listTopics(SecuredKafkaCluster cluster, Map<String, String> security)
      throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "6000");
    props.putAll(security);
    try (Admin client = Admin.create(props)) {
      return client.listTopics().names().get(20, TimeUnit.SECONDS);
    }
  }

  /** A user name of this test's own, so tests on the shared cluster keep apart. */
  private static String user(String service, KafkaSettings kafka) {
    return kafka.topics().prefix() + service;
  }

  /** The services' logging, with Kafka's client configuration dumps (INFO) let through. */
  private static Path kafkaConfigLogging(Path root) throws IOException {
    return Files.writeString(root.resolve("log4j2-kafka-info.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <Configuration status="WARN">
          <Appenders><Console name="out" target="SYSTEM_OUT"><PatternLayout pattern="%-5level %c{1} - %msg%n"/></Console></Appenders>
          <Loggers>
            <Logger name="org.apache.kafka.common.config.AbstractConfig" level="INFO"/>
            <Logger name="org.apache.kafka" level="WARN"/>
            <Logger name="kafka" level="WARN"/>
            <Root level="INFO"><AppenderRef ref="out"/></Root>
          </Loggers>
        </Configuration>
        """, StandardCharsets.UTF_8);
  }

  /** Starts feed, publisher, ingest and the console, each as its own user. */
  private Ports startServices(SecuredKafkaCluster cluster, KafkaSettings kafka, Path root,
      Map<String, String> passwords, Path logConfig) throws IOException {
    int feedPort = FreePort.pick();
    int publisherPort = FreePort.pick();
    int ingestPort = FreePort.pick();
    Map<String, String> common = new HashMap<>(Map.of(
        "PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "PRESSLINE_TOPIC_PREFIX", kafka.topics().prefix(),
        "PRESSLINE_DELIVERIES_PARTITIONS", Integer.toString(kafka.deliveriesPartitions()),
        "PRESSLINE_REPLICATION_FACTOR", Short.toString(kafka.replicationFactor()),
        "PRESSLINE_PUBLIC_BASE_URL", "http://localhost:" + feedPort,
        "PRESSLINE_PUBLISHER_BASE_URL", "http://localhost:" + publisherPort,
        "PRESSLINE_MEDIA_DIR", root.resolve("media").toString(),
        "PRESSLINE_STATE_DIR", root.resolve("state").toString(),
        "LOG4J_CONFIGURATION_FILE", logConfig.toString()));
    // as an operator would: the protocol in the open, the login line from a secret file, the
    // truststore password from the environment
    common.put("PRESSLINE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    common.put("PRESSLINE_KAFKA_SASL_MECHANISM", SecuredKafkaCluster.MECHANISM);
    common.put("PRESSLINE_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
    common.put("PRESSLINE_KAFKA_SSL_TRUSTSTORE_LOCATION", cluster.truststore().toString());
    common.put("PRESSLINE_KAFKA_SSL_TRUSTSTORE_PASSWORD", cluster.truststorePassword());

    start("feed-service", FeedMain.class.getName(), feedPort, root, with(common, login("feed", kafka, root, passwords),
        Map.of("PRESSLINE_FEED_PORT", Integer.toString(feedPort), "PRESSLINE_FEED_INSTANCE_ID", "secured")));
    start("publisher-service", PublisherMain.class.getName(), publisherPort, root,
        with(common, login("publisher", kafka, root, passwords), Map.of(
            "PRESSLINE_PUBLISHER_PORT", Integer.toString(publisherPort),
            "PRESSLINE_SMTP_HOST", "127.0.0.1",
            "PRESSLINE_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
            "PRESSLINE_SIGNING_SECRET", "secured-test-signing-secret-0123456789")));
    start("ingest-service", IngestMain.class.getName(), ingestPort, root,
        with(common, login("ingest", kafka, root, passwords), Map.of(
            "PRESSLINE_INGEST_PORT", Integer.toString(ingestPort),
            "PRESSLINE_INBOX_DIR", root.resolve("inbox").toString(),
            "PRESSLINE_PROCESSED_DIR", root.resolve("processed").toString(),
            "PRESSLINE_REJECTED_DIR", root.resolve("rejected").toString(),
            "PRESSLINE_INGEST_SETTLE_TIME", "100ms",
            "PRESSLINE_INGEST_POLL_INTERVAL", "50ms")));
    int consolePort = FreePort.pick();
    start("console-service", ConsoleMain.class.getName(), consolePort, root,
        with(common, login("console", kafka, root, passwords), Map.of(
            "PRESSLINE_CONSOLE_PORT", Integer.toString(consolePort),
            "PRESSLINE_ADMIN_TOKEN", CONSOLE_TOKEN,
            "PRESSLINE_CONSOLE_SERVICES", "ingest=http://localhost:" + ingestPort + ",publisher=http://localhost:"
                + publisherPort + ",feed=http://localhost:" + feedPort)));
    return new Ports(feedPort, consolePort);
  }

  /** Signs in with the admin token as the sign-in form does; the session cookie to send back. */
  private String signIntoConsole(int port) {
    HttpResponse<String> form = http.get(port, "/signin");
    Matcher csrf = CSRF.matcher(form.body());
    assertThat(csrf.find()).as("the sign-in form's CSRF token").isTrue();
    String pre = cookie(form, "pressline_console_signin");
    HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/signin"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", pre)
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&token=" + CONSOLE_TOKEN)).build());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    return cookie(signedIn, "pressline_console");
  }

  private static String cookie(HttpResponse<String> response, String name) {
    String set = response.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "=")).findFirst().orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  private String consolePage(int port, String path, String session) {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Cookie", session).build()).body();
  }

  /** What the status page says of one reader's lag: "N record(s) behind", or "not measured". */
  private static String lagOf(String page, String reader) {
    Matcher lag = Pattern.compile("data-reader=\"" + Pattern.quote(reader) + "\">.*?: (<span class=\"lag\">)?"
        + "([^<]+)").matcher(page);
    return lag.find() ? lag.group(2).strip() : "(not on the page)";
  }

  /** The service's JAAS line in a file of its own, named by PRESSLINE_KAFKA_SASL_JAAS_CONFIG_FILE. */
  private static Map<String, String> login(String service, KafkaSettings kafka, Path root,
      Map<String, String> passwords) throws IOException {
    Path file = root.resolve(service + ".jaas");
    Files.writeString(file, SecuredKafkaCluster.jaasConfig(user(service, kafka), passwords.get(service)) + "\n",
        StandardCharsets.UTF_8);
    return Map.of("PRESSLINE_KAFKA_SASL_JAAS_CONFIG_FILE", file.toString());
  }

  private void start(String name, String mainClass, int port, Path root, Map<String, String> env) {
    Path log = root.resolve(name + ".log");
    ChildJvm jvm = ChildJvm.start(name, mainClass, List.of(), env, "384m", log);
    services.add(jvm);
    await(name + " healthy on port " + port + " (log: " + log + ")")
        .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!jvm.isAlive()) {
            throw new AssertionError(name + " exited; see " + log + ":\n" + Files.readString(log));
          }
          return http.status(port, "/health") == 200;
        });
  }

  @SafeVarargs
  private static Map<String, String> with(Map<String, String>... parts) {
    Map<String, String> env = new HashMap<>();
    for (Map<String, String> part : parts) {
      env.putAll(part);
    }
    return env;
  }

  /** Writes a post beside the inbox and renames it in, so ingest sees it whole at once. */
  private static void drop(Path inbox, String name, String title) throws IOException {
    Path draft = inbox.resolveSibling(name + ".txt");
    Files.writeString(draft, title + "\n\nA post of the secured cluster test.\n", StandardCharsets.UTF_8);
    Files.move(draft, inbox.resolve(name + ".txt"), StandardCopyOption.ATOMIC_MOVE);
  }

  private static List<String> subjectsTo(String address) {
    return Arrays.stream(smtp.getReceivedMessages())
        .filter(m -> isTo(m, address))
        .map(SecuredClusterTest::subject)
        .toList();
  }

  private static boolean isTo(MimeMessage message, String address) {
    try {
      return Arrays.stream(message.getAllRecipients())
          .anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(address));
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
