package dev.pressline.reliability.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.io.SyndFeedInput;
import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.feed.FeedMain;
import dev.pressline.ingest.IngestMain;
import dev.pressline.publisher.PublisherConfig;
import dev.pressline.publisher.PublisherMain;
import dev.pressline.publisher.smtp.SmtpConfig;
import dev.pressline.publisher.subscribe.SubscriberWriter;
import dev.pressline.reliability.chaos.DeliveryLog;
import dev.pressline.reliability.chaos.DuplicateBound;
import dev.pressline.reliability.chaos.MailRecorder;
import dev.pressline.reliability.chaos.MailRecorder.Received;
import dev.pressline.reliability.chaos.ServiceProcess;
import dev.pressline.reliability.process.FreePort;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicNames;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.testing.KafkaCluster;
import dev.pressline.support.testing.KafkaClusterExtension;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.raft.KRaftConfigs;
import org.apache.kafka.raft.QuorumConfig;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chaos run on a three-broker cluster: topics with three replicas and {@code min.insync.replicas}
 * 2, two publisher instances, two feed-service instances and the ingest, each a JVM of its own, a
 * recording SMTP server, and posts dropped into the inbox all along. Meanwhile, in a seeded random
 * order: the broker leading most {@code deliveries} partitions is killed with {@code kill -9} and comes
 * back, the active controller is killed and comes back, all three brokers are restarted one after
 * another (a rolling restart), and a publisher instance is killed for good while a new one joins.
 *
 * <p>Afterwards every subscriber has every post, duplicates stay within the delivery guarantee's bound
 * and each is named by the delivery log, both feeds list every post, nothing is left in the inbox,
 * and after no fault did mail stop for longer than a consumer session timeout plus a leader election
 * (twice over). The longest pause after each fault is printed.
 *
 * <p>CI size by default; {@code -Dpressline.chaos=medium} or {@code full} for more (see RELIABILITY.md).
 */
@ExtendWith(KafkaClusterExtension.class)
class ClusterChaosRunTest {

  private static final int SMTP_CONCURRENCY = 4;
  /** The in-doubt factor is 1: each killed mailer may leave one message per connection unconfirmed. */
  /** Handed to the publishers as PRESSLINE_MAIL_IN_DOUBT_WINDOW: the shipped default unless -Dpressline.chaos.window says. */
  private static final int IN_DOUBT_WINDOW =
      Integer.getInteger("pressline.chaos.window", SmtpConfig.DEFAULT_IN_DOUBT_WINDOW);
  private static final DuplicateBound DUPLICATES = new DuplicateBound(SMTP_CONCURRENCY, IN_DOUBT_WINDOW);
  /** More partitions than brokers, so one broker can lead most of them and two mailers share them. */
  private static final int DELIVERIES_PARTITIONS = 6;
  /** Three brokers and five service JVMs share two cores: every child keeps a small heap. */
  private static final String CHILD_HEAP = "256m";
  private static final String SIGNING_SECRET = "cluster-chaos-signing-secret-0123456789";
  /** Mail counts as flowing while the latest one arrived less than this long ago (a post comes every second at most). */
  private static final Duration FLOWING = Duration.ofMillis(1500);
  private static final Pattern POST_FILE = Pattern.compile("cluster-post-(\\d{4})(\\.\\d{8}T\\d+)?\\.txt");

  /** The four faults of the issue, each made once per round. */
  private enum Fault { LEADER_KILL, CONTROLLER_KILL, ROLLING_RESTART, PUBLISHER_SWAP }

  /** A fault as it happened: when it began, what exactly was done, and how long until all was back. */
  private record Struck(Fault fault, String what, long startNanos, Duration recovery) {}

  private final ClusterChaosSize size = ClusterChaosSize.fromSystemProperty();
  private final long seed = Long.getLong("pressline.chaos.seed", System.nanoTime());
  private final Random random = new Random(seed);
  private final Http http = new Http();
  private final List<AutoCloseable> running = new ArrayList<>();
  private final List<String[]> events = new ArrayList<>();
  private final long runStarted = System.nanoTime();

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    running.add(resource);
    return resource;
  }

  @Test
  void everyPairDeliveredThroughBrokerKillsARollingRestartAndAPublisherSwap(KafkaCluster cluster) throws Exception {
    Path root = Path.of("target", "cluster-chaos-run").toAbsolutePath();
    deleteTree(root);
    Path inbox = Files.createDirectories(root.resolve("inbox"));
    Path processed = Files.createDirectories(root.resolve("processed"));
    Path rejected = Files.createDirectories(root.resolve("rejected"));
    Path media = Files.createDirectories(root.resolve("media"));
    Path logs = Files.createDirectories(root.resolve("logs"));
    System.out.printf("Cluster chaos run (%s): %d subscribers, a post every %d ms, %d round(s) of four faults, "
            + "seed %d (-Dpressline.chaos.seed=%d repeats the order and moments of the faults); data and "
            + "service logs in %s%n",
        size.name(), size.subscribers(), size.dropEvery().toMillis(), size.rounds(), seed, seed, root);

    KafkaSettings kafka = new KafkaSettings(cluster.bootstrapServers(),
        new TopicNames(cluster.freshSettings().topics().prefix()), DELIVERIES_PARTITIONS, KafkaCluster.REPLICATION_FACTOR);
    new TopicSetup(kafka).ensureTopics();
    Admin admin = closeLater(admin(cluster));
    assertReplicatedAsInProduction(admin, kafka);
    Duration pauseBound = pauseBound(kafka);

    MailRecorder mail = closeLater(new MailRecorder(FreePort.pick()));
    mail.start();
    PauseMeter pauses = closeLater(new PauseMeter(mail::count));
    List<String> subscribers = IntStream.range(0, size.subscribers())
        .mapToObj(i -> String.format(Locale.ROOT, "reader%04d@example.org", i)).toList();
    try (SubscriberWriter writer = new SubscriberWriter(kafka, "cluster-chaos-subscribers", Clock.systemUTC())) {
      subscribers.forEach(s -> writer.writeAsync(s, SubscriberStatus.CONFIRMED, "cluster chaos"));
      writer.flush();
    }

    List<Integer> feedPorts = List.of(FreePort.pick(), FreePort.pick());
    Map<String, String> common = Map.of(
        "PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "PRESSLINE_TOPIC_PREFIX", kafka.topics().prefix(),
        "PRESSLINE_DELIVERIES_PARTITIONS", Integer.toString(DELIVERIES_PARTITIONS),
        "PRESSLINE_REPLICATION_FACTOR", Short.toString(kafka.replicationFactor()),
        "PRESSLINE_PUBLIC_BASE_URL", "http://localhost:" + feedPorts.get(0),
        "PRESSLINE_MEDIA_DIR", media.toString());
    List<ServiceProcess> feeds = new ArrayList<>();
    for (int i = 0; i < feedPorts.size(); i++) {
      int port = feedPorts.get(i);
      feeds.add(closeLater(new ServiceProcess("feed-service-" + (i + 1), FeedMain.class.getName(),
          with(common, Map.of("PRESSLINE_FEED_PORT", Integer.toString(port),
              "PRESSLINE_STATE_DIR", root.resolve("state-feed-" + (i + 1)).toString(),
              // one feed document holds the whole run, so one GET proves every post is listed
              "PRESSLINE_FEED_PAGE_SIZE", "100000")),
          port, logs.resolve("feed-" + (i + 1) + ".log"), CHILD_HEAP)));
    }
    Publishers publishers = new Publishers(common, mail.port(), root, logs);
    int ingestPort = FreePort.pick();
    ServiceProcess ingest = closeLater(new ServiceProcess("ingest-service", IngestMain.class.getName(),
        with(common, Map.of(
            "PRESSLINE_INBOX_DIR", inbox.toString(),
            "PRESSLINE_PROCESSED_DIR", processed.toString(),
            "PRESSLINE_REJECTED_DIR", rejected.toString(),
            "PRESSLINE_INGEST_PORT", Integer.toString(ingestPort),
            "PRESSLINE_STATE_DIR", root.resolve("state-ingest").toString(),
            "PRESSLINE_INGEST_SETTLE_TIME", "100ms",
            "PRESSLINE_INGEST_POLL_INTERVAL", "50ms",
            "PRESSLINE_INGEST_RETRY_BACKOFF_MAX", "2s")),
        ingestPort, logs.resolve("ingest.log"), CHILD_HEAP));
    List<ServiceProcess> first = new ArrayList<>(feeds);
    first.add(publishers.join());
    first.add(publishers.join());
    first.add(ingest);
    startAll(first);

    // the editor drops one post every dropEvery until the last fault is over, so every fault
    // strikes while files arrive and mail is being sent
    AtomicInteger dropped = new AtomicInteger();
    AtomicBoolean dropping = new AtomicBoolean(true);
    ScheduledExecutorService editor = Executors.newSingleThreadScheduledExecutor();
    closeLater(editor::shutdownNow);
    editor.scheduleWithFixedDelay(() -> {
      if (dropping.get()) {
        drop(inbox, dropped.getAndIncrement());
      }
    }, 0, size.dropEvery().toMillis(), TimeUnit.MILLISECONDS);

    List<Struck> struck = new ArrayList<>();
    long calmSince = System.nanoTime();
    for (Fault fault : plan()) {
      long calmFrom = calmSince;
      // each fault strikes while mail flows, never in the tail of the previous fault's pause, so
      // each pause measured below belongs to one fault
      await("mail flowing, " + size.quiet().toSeconds() + " s after the previous fault, before " + fault)
          .atMost(size.patience()).pollInterval(Duration.ofMillis(50))
          .until(() -> System.nanoTime() - calmFrom >= size.quiet().toNanos()
              && pauses.sinceLastArrival().compareTo(FLOWING) < 0);
      String progress = String.format(Locale.ROOT, "(after %d posts dropped, %d mails)", dropped.get(), mail.count());
      long t0 = System.nanoTime();
      String what = switch (fault) {
        case LEADER_KILL -> killDeliveriesLeader(cluster, admin, kafka);
        case CONTROLLER_KILL -> killController(cluster, admin, kafka);
        case ROLLING_RESTART -> rollingRestart(cluster, admin, kafka);
        case PUBLISHER_SWAP -> publishers.swap(random);
      };
      calmSince = System.nanoTime();
      Duration recovery = Duration.ofNanos(calmSince - t0);
      struck.add(new Struck(fault, what, t0, recovery));
      event(what + " " + progress, recovery);
    }
    long lastFaultOver = calmSince;
    await("mail flowing for " + size.quiet().toSeconds() + " s after the last fault").atMost(size.patience())
        .pollInterval(Duration.ofMillis(100)).until(() -> System.nanoTime() - lastFaultOver >= size.quiet().toNanos());
    dropping.set(false);
    editor.shutdown();
    assertThat(editor.awaitTermination(30, TimeUnit.SECONDS)).as("the editor stopped").isTrue();
    int posts = dropped.get();
    int expected = posts * size.subscribers();

    await("inbox emptied").atMost(size.patience()).pollInterval(Duration.ofMillis(200))
        .until(() -> postNumbers(inbox).isEmpty() && postNumbers(processed).size() + postNumbers(rejected).size() >= posts);
    try {
      await("every pair delivered").atMost(size.patience()).pollInterval(Duration.ofMillis(200))
          .until(() -> mail.count() >= expected && pairs(mail.received()).size() >= expected);
    } catch (ConditionTimeoutException e) {
      // go on to the checks below: they say which pairs are missing and what the delivery log says
      System.out.println("cluster chaos: not every pair arrived in time: " + e.getMessage());
    }
    long allDelivered = System.nanoTime();
    // late duplicates would arrive now: the count must stand still for a while
    await("mail stops arriving").during(Duration.ofSeconds(3)).atMost(size.patience())
        .pollInterval(Duration.ofMillis(500)).until(new StableCount(mail::count));

    List<Received> received = mail.received();
    Map<String, Long> perPair = received.stream()
        .collect(Collectors.groupingBy(r -> r.to() + " " + r.subject(), Collectors.counting()));
    Set<String> expectedPairs = new HashSet<>();
    for (int p = 0; p < posts; p++) {
      for (String s : subscribers) {
        expectedPairs.add(s + " " + title(p));
      }
    }
    List<String> duplicated = perPair.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
    int duplicates = perPair.values().stream().mapToInt(n -> (int) (n - 1)).sum();
    int publisherKills = publishers.kills();
    Map<String, DeliveryRecord> log = DeliveryLog.latest(kafka);
    List<String> slugs = IntStream.range(0, posts).mapToObj(ClusterChaosRunTest::slug).toList();
    Map<String, List<String>> feedSlugs = new HashMap<>();
    for (ServiceProcess feed : feeds) {
      feedSlugs.put(feed.name(), feedSlugs(feed.port()));
    }
    List<Duration> longestPauses = new ArrayList<>();
    for (int i = 0; i < struck.size(); i++) {
      long to = i + 1 < struck.size() ? struck.get(i + 1).startNanos() : allDelivered;
      longestPauses.add(pauses.longestPause(struck.get(i).startNanos(), to));
    }

    printFigures(posts, received.size(), perPair.size(), duplicates, publisherKills, struck, longestPauses, pauseBound);
    System.out.printf(Locale.ROOT, "SMTP connections that ended abruptly on the server's side: %d%n", mail.abruptConnections());

    Set<String> missing = new HashSet<>(expectedPairs);
    missing.removeAll(perPair.keySet());
    assertThat(missing).as("pairs never received; their delivery log entries: %s", missing.stream()
        .map(p -> log.get(DeliveryRecord.keyOf(slug(Integer.parseInt(p.substring(p.length() - 4))),
            p.substring(0, p.indexOf(' '))))).toList()).isEmpty();
    assertThat(perPair.keySet()).as("every (subscriber, post) pair received, nothing else").isEqualTo(expectedPairs);
    assertThat(duplicates).as("duplicates: at most %s", DUPLICATES.describe(publisherKills, 0))
        .isLessThanOrEqualTo(DUPLICATES.allowed(publisherKills, 0));
    for (String pair : duplicated) {
      String email = pair.substring(0, pair.indexOf(' '));
      String slug = slug(Integer.parseInt(pair.substring(pair.length() - 4)));
      DeliveryRecord record = log.get(DeliveryRecord.keyOf(slug, email));
      assertThat(record).as("delivery log entry of duplicated %s", pair).isNotNull();
      assertThat(record.possibleDuplicate()).as("delivery log names the duplicate %s: %s", pair, record).isTrue();
      // mailbox providers that keep one copy per Message-ID show the duplicate once
      assertThat(received.stream().filter(r -> pair.equals(r.to() + " " + r.subject())).map(Received::messageId)
          .distinct().toList()).as("every copy of %s carries the first one's Message-ID", pair).hasSize(1);
    }
    // the log also holds one fan-out marker per post, keyed "<slug> *"
    assertThat(log.values().stream().filter(r -> !r.email().equals(DeliveryRecord.MARKER_RECIPIENT)).toList())
        .as("delivery log: every delivery ended as sent")
        .hasSize(expected).allMatch(r -> r.status() == DeliveryStatus.SENT);
    assertThat(postNumbers(inbox)).as("post files stranded in the inbox").isEmpty();
    assertThat(postNumbers(processed)).as("post files in processed/").hasSize(posts);
    assertThat(postNumbers(rejected)).as("post files in rejected/").isEmpty();
    for (ServiceProcess feed : feeds) {
      assertThat(feedSlugs.get(feed.name())).as("%s lists every published post", feed.name())
          .containsExactlyInAnyOrderElementsOf(slugs);
    }
    for (int i = 0; i < struck.size(); i++) {
      assertThat(longestPauses.get(i)).as("longest pause in mail after: %s", struck.get(i).what())
          .isLessThan(pauseBound);
    }
  }

  /** The publisher instances: two at a time, each with a stable name and port of its own. */
  private final class Publishers {
    private final Map<String, String> common;
    private final int smtpPort;
    private final Path root;
    private final Path logs;
    private final List<ServiceProcess> live = new ArrayList<>();
    private int started;
    private int kills;

    Publishers(Map<String, String> common, int smtpPort, Path root, Path logs) {
      this.common = common;
      this.smtpPort = smtpPort;
      this.root = root;
      this.logs = logs;
    }

    /** A new instance under a name never used before; not started yet. */
    ServiceProcess join() {
      started++;
      String name = "publisher-" + started;
      int port = FreePort.pick();
      ServiceProcess publisher = closeLater(new ServiceProcess(name, PublisherMain.class.getName(),
          with(common, Map.ofEntries(
              Map.entry("PRESSLINE_PUBLISHER_PORT", Integer.toString(port)),
              Map.entry("PRESSLINE_PUBLISHER_BASE_URL", "http://localhost:" + port),
              // a stable name per instance: its transactional id and static group membership
              Map.entry("PRESSLINE_PUBLISHER_INSTANCE_ID", "cluster-chaos-" + name),
              Map.entry("PRESSLINE_STATE_DIR", root.resolve("state-" + name).toString()),
              Map.entry("PRESSLINE_SIGNING_SECRET", SIGNING_SECRET),
              Map.entry("PRESSLINE_SMTP_HOST", "127.0.0.1"),
              Map.entry("PRESSLINE_SMTP_PORT", Integer.toString(smtpPort)),
              Map.entry("PRESSLINE_SMTP_CONCURRENCY", Integer.toString(SMTP_CONCURRENCY)),
              Map.entry(PublisherConfig.MAIL_IN_DOUBT_WINDOW, Integer.toString(IN_DOUBT_WINDOW)),
              Map.entry("PRESSLINE_SMTP_MAX_ATTEMPTS", "1000"),
              Map.entry("PRESSLINE_SMTP_RETRY_BACKOFF", "200ms"),
              Map.entry("PRESSLINE_SMTP_MAX_RETRY_BACKOFF", "2s"),
              Map.entry("PRESSLINE_SMTP_TIMEOUT", "10s"))),
          port, logs.resolve(name + ".log"), CHILD_HEAP));
      live.add(publisher);
      return publisher;
    }

    /** Kills a random live instance with {@code kill -9} for good, and a new one joins at once. */
    String swap(Random random) {
      ServiceProcess victim = live.remove(random.nextInt(live.size()));
      victim.kill();
      kills++;
      ServiceProcess newcomer = join();
      Duration took = newcomer.start();
      return String.format(Locale.ROOT, "kill -9 %s for good; %s joins (healthy after %.1f s)", victim.name(),
          newcomer.name(), took.toMillis() / 1000.0);
    }

    int kills() {
      return kills;
    }
  }

  private String killDeliveriesLeader(KafkaCluster cluster, Admin admin, KafkaSettings kafka) {
    String deliveries = kafka.topics().deliveries();
    Map<Integer, Long> leads = IntStream.range(0, DELIVERIES_PARTITIONS).mapToObj(p -> cluster.leaderOf(deliveries, p))
        .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
    int victim = leads.entrySet().stream().max(Map.Entry.<Integer, Long>comparingByValue()
        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
    long t0 = System.nanoTime();
    cluster.kill(victim);
    // leaderOf answers only with a running broker: this waits for the controller to fence the
    // killed one (after the broker session timeout) and elect new leaders
    IntStream.range(0, DELIVERIES_PARTITIONS).forEach(p -> cluster.leaderOf(deliveries, p));
    double elected = (System.nanoTime() - t0) / 1e9;
    cluster.restart(victim);
    awaitInSync(cluster, admin, kafka);
    return String.format(Locale.ROOT, "kill -9 broker %d (leader of %d of %d deliveries partitions; new leaders "
        + "after %.1f s) and back", victim, leads.get(victim), DELIVERIES_PARTITIONS, elected);
  }

  private String killController(KafkaCluster cluster, Admin admin, KafkaSettings kafka) {
    int controller = cluster.activeController();
    long t0 = System.nanoTime();
    cluster.kill(controller);
    int[] next = {controller};
    await("a new active controller after broker " + controller + " was killed").atMost(size.patience())
        .pollInterval(Duration.ofMillis(100))
        .until(() -> (next[0] = cluster.activeController()) != controller);
    double elected = (System.nanoTime() - t0) / 1e9;
    cluster.restart(controller);
    awaitInSync(cluster, admin, kafka);
    return String.format(Locale.ROOT, "kill -9 active controller %d (broker %d leads the quorum after %.1f s) and back",
        controller, next[0], elected);
  }

  /** Each broker stopped cleanly and started again, the next one only once every replica is in sync, as an upgrade goes. */
  private String rollingRestart(KafkaCluster cluster, Admin admin, KafkaSettings kafka) {
    List<String> steps = new ArrayList<>();
    for (int id : cluster.nodeIds()) {
      long t0 = System.nanoTime();
      cluster.stop(id);
      cluster.restart(id);
      awaitInSync(cluster, admin, kafka);
      steps.add(String.format(Locale.ROOT, "%d: %.1f s", id, (System.nanoTime() - t0) / 1e9));
    }
    return "rolling restart of brokers " + cluster.nodeIds() + " (" + String.join(", ", steps) + ")";
  }

  /** Every partition of the pipeline's topics and of Kafka's offsets and transaction logs fully replicated. */
  private static void awaitInSync(KafkaCluster cluster, Admin admin, KafkaSettings kafka) {
    Set<String> topics;
    try {
      topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot list the cluster's topics", e);
    }
    topics.stream()
        .filter(t -> t.startsWith(kafka.topics().prefix()) || t.equals("__consumer_offsets") || t.equals("__transaction_state"))
        .sorted()
        .forEach(cluster::awaitFullyReplicated);
  }

  /** The run's premise: every topic of the pipeline has three replicas and min.insync.replicas 2. */
  private static void assertReplicatedAsInProduction(Admin admin, KafkaSettings kafka) throws Exception {
    TopicNames t = kafka.topics();
    List<String> names = List.of(t.posts(), t.subscribers(), t.deliveries(), t.deliveryLog());
    Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
    Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get(30, TimeUnit.SECONDS);
    for (String name : names) {
      assertThat(described.get(name).partitions()).as("replicas of %s", name)
          .allMatch(p -> p.replicas().size() == KafkaCluster.REPLICATION_FACTOR);
      assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
          .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).as("min.insync.replicas of %s", name)
          .isEqualTo(Integer.toString(KafkaCluster.MIN_INSYNC_REPLICAS));
    }
  }

  /**
   * The longest mail may stop after a fault: the services' consumer session timeout (a mailer killed
   * for good keeps its partitions until its session expires) plus a leader election (the controller
   * fences a dead broker after its session timeout, and a dead controller is replaced after the quorum's
   * fetch and election timeouts), twice over, for the rebalance and JVM starts on two loaded cores.
   */
  private static Duration pauseBound(KafkaSettings kafka) {
    Properties props = ClientProperties.groupConsumer(kafka, "bound", "bound");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    int session = new ConsumerConfig(props).getInt(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
    int election = KRaftConfigs.BROKER_SESSION_TIMEOUT_MS_DEFAULT + QuorumConfig.DEFAULT_QUORUM_FETCH_TIMEOUT_MS
        + QuorumConfig.DEFAULT_QUORUM_ELECTION_TIMEOUT_MS;
    return Duration.ofMillis(2L * (session + election));
  }

  private static Admin admin(KafkaCluster cluster) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    // a question to a killed broker should move on to another one quickly
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    return Admin.create(props);
  }

  /** Each round holds the four faults once, shuffled with the run's seed. */
  private List<Fault> plan() {
    List<Fault> plan = new ArrayList<>();
    for (int r = 0; r < size.rounds(); r++) {
      List<Fault> round = new ArrayList<>(List.of(Fault.values()));
      Collections.shuffle(round, random);
      plan.addAll(round);
    }
    return plan;
  }

  /** Starts the JVMs side by side: one after another they would take most of the CI size's time. */
  private void startAll(List<ServiceProcess> services) throws Exception {
    ExecutorService starter = Executors.newFixedThreadPool(services.size());
    try {
      List<Future<Duration>> started = new ArrayList<>();
      for (ServiceProcess service : services) {
        started.add(starter.submit((Callable<Duration>) service::start));
      }
      for (int i = 0; i < services.size(); i++) {
        event("start " + services.get(i).name(), started.get(i).get(5, TimeUnit.MINUTES));
      }
    } finally {
      starter.shutdownNow();
    }
  }

  private static void drop(Path inbox, int n) {
    try {
      Path temp = inbox.resolve(String.format(Locale.ROOT, "cluster-post-%04d.txt.part", n));
      Files.writeString(temp, title(n) + "\n\nThe body of cluster chaos post " + n + ", sent while brokers come "
          + "and go.\n\nA second paragraph so the mail has some weight.\n", StandardCharsets.UTF_8);
      Files.move(temp, inbox.resolve(String.format(Locale.ROOT, "cluster-post-%04d.txt", n)), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot drop post " + n, e);
    }
  }

  private static String title(int n) {
    return String.format(Locale.ROOT, "Cluster post %04d", n);
  }

  private static String slug(int n) {
    return String.format(Locale.ROOT, "cluster-post-%04d", n);
  }

  private static Set<Integer> postNumbers(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> POST_FILE.matcher(p.getFileName().toString())).filter(Matcher::matches)
          .map(m -> Integer.parseInt(m.group(1))).collect(Collectors.toSet());
    }
  }

  private static Set<String> pairs(List<Received> received) {
    return received.stream().map(r -> r.to() + " " + r.subject()).collect(Collectors.toSet());
  }

  private List<String> feedSlugs(int feedPort) throws Exception {
    String xml = http.get(feedPort, "/feed.xml").body();
    List<String> slugs = new ArrayList<>();
    for (SyndEntry entry : new SyndFeedInput().build(new StringReader(xml)).getEntries()) {
      String link = entry.getLink();
      slugs.add(link.substring(link.lastIndexOf("/posts/") + "/posts/".length()));
    }
    return slugs;
  }

  private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
    Map<String, String> all = new HashMap<>(base);
    all.putAll(more);
    return all;
  }

  private void event(String what, Duration took) {
    double at = (System.nanoTime() - runStarted) / 1e9;
    events.add(new String[] {String.format(Locale.ROOT, "%7.1f s", at), what,
        String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0)});
    System.out.printf("cluster chaos: %7.1f s: %s, done after %.1f s%n", at, what, took.toMillis() / 1000.0);
  }

  private void printFigures(int posts, int mails, int uniquePairs, int duplicates, int publisherKills,
      List<Struck> struck, List<Duration> longestPauses, Duration pauseBound) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n=== Cluster chaos run figures (%s, seed %d) ===%n", size.name(), seed));
    out.append(String.format(Locale.ROOT, "| %-52s | %12s |%n", "figure", "value"));
    out.append(String.format(Locale.ROOT, "| %-52s | %12s |%n", "-".repeat(52), "-".repeat(12)));
    row(out, "posts dropped", posts);
    row(out, "confirmed subscribers", size.subscribers());
    row(out, "mails expected (pairs)", posts * size.subscribers());
    row(out, "mails received", mails);
    row(out, "distinct (subscriber, post) pairs received", uniquePairs);
    row(out, "duplicates", duplicates);
    row(out, "allowed duplicates (" + DUPLICATES.describe(publisherKills, 0) + ")", DUPLICATES.allowed(publisherKills, 0));
    out.append(String.format(Locale.ROOT, "| %-52s | %10.1f s |%n", "bound on a pause in mail after a fault",
        pauseBound.toMillis() / 1000.0));
    out.append(String.format(Locale.ROOT, "| %-52s | %10.1f s |%n", "whole run", (System.nanoTime() - runStarted) / 1e9));
    out.append(String.format(Locale.ROOT, "%n| %-16s | %-110s | %9s | %13s |%n", "fault", "what was done", "recovery",
        "longest pause"));
    for (int i = 0; i < struck.size(); i++) {
      Struck s = struck.get(i);
      out.append(String.format(Locale.ROOT, "| %-16s | %-110s | %7.1f s | %11.1f s |%n", s.fault(), s.what(),
          s.recovery().toMillis() / 1000.0, longestPauses.get(i).toMillis() / 1000.0));
    }
    out.append(String.format(Locale.ROOT, "%n| %9s | %-140s | %-9s |%n", "done at", "event", "took"));
    for (String[] e : events) {
      out.append(String.format(Locale.ROOT, "| %9s | %-140s | %9s |%n", e[0], e[1], e[2]));
    }
    System.out.println(out);
  }

  private static void row(StringBuilder out, String name, int value) {
    out.append(String.format(Locale.ROOT, "| %-52s | %12d |%n", name, value));
  }

  /** True once the count has not moved since the previous look. */
  private static final class StableCount implements Callable<Boolean> {
    private final IntSupplier count;
    private int last = -1;

    StableCount(IntSupplier count) {
      this.count = count;
    }

    @Override
    public Boolean call() {
      int now = count.getAsInt();
      boolean stable = now == last;
      last = now;
      return stable;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
