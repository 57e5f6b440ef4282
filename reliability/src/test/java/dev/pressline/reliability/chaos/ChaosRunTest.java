package dev.pressline.reliability.chaos;

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
import dev.pressline.reliability.chaos.MailRecorder.Received;
import dev.pressline.reliability.process.FreePort;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicNames;
import dev.pressline.support.kafka.TopicSetup;
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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chaos run: a real broker in its own JVM, a real SMTP server, and the three services as
 * separate JVMs. Posts are dropped over time while each service is killed with SIGKILL at random
 * moments and restarted, the broker is restarted once and the SMTP server goes away once. Afterwards
 * every subscriber has every post, duplicates stay within the in-doubt window times the SMTP
 * concurrency per mailer kill (and the concurrency for the SMTP outage) and are named by the delivery log, no file is stranded in the inbox and the feed lists every post.
 *
 * <p>CI size by default; {@code -Dpressline.chaos=full} for 1,000 posts and 1,000 subscribers.
 */
class ChaosRunTest {

  private static final int SMTP_CONCURRENCY = 4;
  /** Handed to the publisher as PRESSLINE_MAIL_IN_DOUBT_WINDOW: the shipped default unless -Dpressline.chaos.window says. */
  private static final int IN_DOUBT_WINDOW =
      Integer.getInteger("pressline.chaos.window", SmtpConfig.DEFAULT_IN_DOUBT_WINDOW);
  private static final Pattern POST_FILE = Pattern.compile("chaos-post-(\\d{4})(\\.\\d{8}T\\d+)?\\.txt");

  private final ChaosSize size = ChaosSize.fromSystemProperty();
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
  void everySubscriberGetsEveryPostThroughKillsBrokerRestartAndSmtpOutage() throws Exception {
    Path root = Path.of("target", "chaos-run").toAbsolutePath();
    deleteTree(root);
    Path inbox = Files.createDirectories(root.resolve("inbox"));
    Path processed = Files.createDirectories(root.resolve("processed"));
    Path rejected = Files.createDirectories(root.resolve("rejected"));
    Path media = Files.createDirectories(root.resolve("media"));
    Path logs = Files.createDirectories(root.resolve("logs"));
    System.out.printf("Chaos run (%s): %d posts, %d subscribers, seed %d (-Dpressline.chaos.seed=%d repeats the "
            + "order and moments of the disruptions); data and service logs in %s%n",
        size.name(), size.posts(), size.subscribers(), seed, seed, root);

    BrokerProcess broker = closeLater(new BrokerProcess(root.resolve("kafka")));
    broker.start();
    MailRecorder mail = closeLater(new MailRecorder(FreePort.pick()));
    int smtpPort = mail.port();
    mail.start();

    KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), new TopicNames("chaos."), 4, (short) 1);
    new TopicSetup(kafka).ensureTopics();
    List<String> subscribers = IntStream.range(0, size.subscribers())
        .mapToObj(i -> String.format(Locale.ROOT, "reader%04d@example.org", i)).toList();
    try (SubscriberWriter writer = new SubscriberWriter(kafka, "chaos-subscribers", Clock.systemUTC())) {
      subscribers.forEach(s -> writer.writeAsync(s, SubscriberStatus.CONFIRMED, "chaos"));
      writer.flush();
    }

    int feedPort = FreePort.pick();
    int publisherPort = FreePort.pick();
    Map<String, String> common = Map.of(
        "PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "PRESSLINE_TOPIC_PREFIX", kafka.topics().prefix(),
        "PRESSLINE_DELIVERIES_PARTITIONS", "4",
        "PRESSLINE_PUBLIC_BASE_URL", "http://localhost:" + feedPort,
        "PRESSLINE_PUBLISHER_BASE_URL", "http://localhost:" + publisherPort,
        "PRESSLINE_MEDIA_DIR", media.toString(),
        "PRESSLINE_STATE_DIR", root.resolve("state").toString());
    ServiceProcess feed = closeLater(new ServiceProcess("feed-service", FeedMain.class.getName(),
        with(common, Map.of("PRESSLINE_FEED_PORT", Integer.toString(feedPort),
            // one feed document holds the whole run, so one GET proves every post is listed
            "PRESSLINE_FEED_PAGE_SIZE", "100000")),
        feedPort, logs.resolve("feed.log")));
    ServiceProcess publisher = closeLater(new ServiceProcess("publisher-service", PublisherMain.class.getName(),
        with(common, Map.ofEntries(
            Map.entry("PRESSLINE_PUBLISHER_PORT", Integer.toString(publisherPort)),
            Map.entry("PRESSLINE_SMTP_HOST", "127.0.0.1"),
            Map.entry("PRESSLINE_SMTP_PORT", Integer.toString(smtpPort)),
            Map.entry("PRESSLINE_SMTP_CONCURRENCY", Integer.toString(SMTP_CONCURRENCY)),
            Map.entry(PublisherConfig.MAIL_IN_DOUBT_WINDOW, Integer.toString(IN_DOUBT_WINDOW)),
            // retries must outlast the SMTP outage, however long the run makes it
            Map.entry("PRESSLINE_SMTP_MAX_ATTEMPTS", "1000"),
            Map.entry("PRESSLINE_SMTP_RETRY_BACKOFF", "200ms"),
            Map.entry("PRESSLINE_SMTP_MAX_RETRY_BACKOFF", "2s"),
            Map.entry("PRESSLINE_SMTP_TIMEOUT", "10s"),
            // a restarted mailer fences its killed predecessor at once
            Map.entry("PRESSLINE_PUBLISHER_INSTANCE_ID", "chaos-publisher"),
            Map.entry("PRESSLINE_SIGNING_SECRET", "chaos-run-signing-secret-0123456789"))),
        publisherPort, logs.resolve("publisher.log")));
    int ingestPort = FreePort.pick();
    ServiceProcess ingest = closeLater(new ServiceProcess("ingest-service", IngestMain.class.getName(),
        with(common, Map.of(
            "PRESSLINE_INBOX_DIR", inbox.toString(),
            "PRESSLINE_PROCESSED_DIR", processed.toString(),
            "PRESSLINE_REJECTED_DIR", rejected.toString(),
            "PRESSLINE_INGEST_PORT", Integer.toString(ingestPort),
            "PRESSLINE_INGEST_SETTLE_TIME", "100ms",
            "PRESSLINE_INGEST_POLL_INTERVAL", "50ms",
            "PRESSLINE_INGEST_RETRY_BACKOFF_MAX", "2s")),
        ingestPort, logs.resolve("ingest.log")));
    List<ServiceProcess> services = List.of(feed, publisher, ingest);
    for (ServiceProcess service : services) {
      Duration took = service.start();
      event("start " + service.name(), took);
    }

    // the chaos plan: each service killed killsPerService times, one broker restart, one SMTP
    // outage, in random order; the posts come in one batch per disruption, so each one strikes
    // while its batch is on the way (files in the inbox, mail being sent)
    List<ChaosAction> plan = plan();
    int batches = plan.size() + 1;
    AtomicInteger allowed = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    // the editors: one post every dropEvery, each renamed into the inbox in one step
    ScheduledExecutorService editor = Executors.newSingleThreadScheduledExecutor();
    closeLater(editor::shutdownNow);
    editor.scheduleWithFixedDelay(() -> {
      int n = dropped.get();
      if (n < allowed.get()) {
        drop(inbox, n);
        dropped.incrementAndGet();
      }
    }, 0, size.dropEvery().toMillis(), TimeUnit.MILLISECONDS);

    int expected = size.expectedMails();
    for (int i = 0; i < plan.size(); i++) {
      ChaosAction action = plan.get(i);
      int batchStart = size.posts() * i / batches;
      int batchEnd = size.posts() * (i + 1) / batches;
      int mailsBefore = mail.count();
      allowed.set(batchEnd);
      if (action.kind().equals("smtp") || action.target().equals("publisher-service")) {
        // while the batch's mail is being sent
        int threshold = mailsBefore + 1 + random.nextInt(Math.max(1, (batchEnd - batchStart) * size.subscribers() / 2));
        await(action.describe() + " once " + threshold + " mails arrived").atMost(size.patience())
            .pollInterval(Duration.ofMillis(20)).until(() -> mail.count() >= threshold);
      } else {
        // while the batch's files arrive
        int threshold = batchStart + 1 + random.nextInt(Math.max(1, batchEnd - batchStart));
        await(action.describe() + " once " + threshold + " posts were dropped").atMost(size.patience())
            .pollInterval(Duration.ofMillis(20)).until(() -> dropped.get() >= threshold);
      }
      switch (action.kind()) {
        case "kill" -> {
          ServiceProcess service = services.stream().filter(s -> s.name().equals(action.target())).findFirst().orElseThrow();
          String progress = progress(dropped.get(), mail.count());
          long t0 = System.nanoTime();
          Duration recovery = service.killAndRestart();
          event("kill -9 " + service.name() + " " + progress, recovery);
          if (service == publisher) {
            // healthy is not yet sending: the killed mailer holds its partitions until its session expires
            int before = mail.count();
            await("mail flowing after the mailer kill").atMost(size.patience()).pollInterval(Duration.ofMillis(100))
                .until(() -> mail.count() > before || pairs(mail.received()).size() >= expected);
            event("  mail flowing again after that kill", Duration.ofNanos(System.nanoTime() - t0));
          }
        }
        case "broker" -> {
          String progress = progress(dropped.get(), mail.count());
          long t0 = System.nanoTime();
          broker.stop();
          broker.start();
          services.forEach(ServiceProcess::awaitHealthy);
          event("restart Kafka broker " + progress, Duration.ofNanos(System.nanoTime() - t0));
        }
        case "smtp" -> {
          String progress = progress(dropped.get(), mail.count());
          long t0 = System.nanoTime();
          mail.stop();
          ScheduledExecutorService comeback = Executors.newSingleThreadScheduledExecutor();
          comeback.schedule(mail::start, size.smtpOutage().toMillis(), TimeUnit.MILLISECONDS);
          comeback.shutdown();
          await("SMTP server back").atMost(size.smtpOutage().plusMinutes(1)).until(mail::isRunning);
          int before = mail.count();
          await("first mail after the SMTP outage").atMost(size.patience())
              .until(() -> mail.count() > before || mail.count() >= expected);
          event("SMTP server away " + size.smtpOutage().toSeconds() + " s " + progress,
              Duration.ofNanos(System.nanoTime() - t0));
        }
        default -> throw new IllegalStateException(action.kind());
      }
    }
    long chaosOver = System.nanoTime();
    allowed.set(size.posts());

    await("all posts dropped").atMost(size.patience()).until(() -> dropped.get() == size.posts());
    await("inbox emptied").atMost(size.patience()).pollInterval(Duration.ofMillis(200))
        .until(() -> postNumbers(inbox).isEmpty() && postNumbers(processed).size() + postNumbers(rejected).size() >= size.posts());
    try {
      // the full run sends for most of an hour after the last disruption: say how far it is
      Progress progress = new Progress(mail::count, expected);
      await("every pair delivered").atMost(size.patience()).pollInterval(Duration.ofMillis(500))
          .until(() -> {
            progress.printEvery(Duration.ofSeconds(30));
            // the count first: the set of pairs costs a second of CPU at a million mails
            return mail.count() >= expected && pairs(mail.received()).size() >= expected;
          });
    } catch (ConditionTimeoutException e) {
      // go on to the checks below: they say which pairs are missing and what the delivery log says
      System.out.println("chaos: not every pair arrived in time: " + e.getMessage());
    }
    Duration recovered = Duration.ofNanos(System.nanoTime() - chaosOver);
    // late duplicates would arrive now: the count must stand still for a while
    await("mail stops arriving").during(Duration.ofSeconds(3)).atMost(size.patience())
        .pollInterval(Duration.ofMillis(500)).until(new StableCount(mail::count));

    List<Received> received = mail.received();
    Map<String, Long> perPair = received.stream()
        .collect(Collectors.groupingBy(r -> r.to() + " " + r.subject(), Collectors.counting()));
    Set<String> expectedPairs = new HashSet<>();
    for (int p = 0; p < size.posts(); p++) {
      for (String s : subscribers) {
        expectedPairs.add(s + " " + title(p));
      }
    }
    List<String> duplicated = perPair.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
    int duplicates = perPair.values().stream().mapToInt(n -> (int) (n - 1)).sum();
    int publisherKills = publisher.kills();

    Map<String, DeliveryRecord> log = DeliveryLog.latest(kafka);
    List<String> feedSlugs = feedSlugs(feedPort);

    printFigures(received.size(), perPair.size(), duplicates, services, recovered);
    System.out.printf(Locale.ROOT, "SMTP connections that ended abruptly on the server's side: %d%n", mail.abruptConnections());

    Set<String> missing = new HashSet<>(expectedPairs);
    missing.removeAll(perPair.keySet());
    assertThat(missing).as("pairs never received; their delivery log entries: %s", missing.stream()
        .map(p -> log.get(DeliveryRecord.keyOf(slug(Integer.parseInt(p.substring(p.lastIndexOf(' ') + 1))),
            p.substring(0, p.indexOf(' '))))).toList()).isEmpty();
    assertThat(perPair.keySet()).as("every (subscriber, post) pair received, nothing else").isEqualTo(expectedPairs);
    // a mailer kill leaves at most window x connections messages without a durable outcome; the SMTP
    // server going away cuts off at most the one message each connection is carrying
    assertThat(duplicates).as("duplicates: at most window x SMTP concurrency per mailer kill, concurrency per outage")
        .isLessThanOrEqualTo(allowedDuplicates(publisherKills));
    for (String pair : duplicated) {
      String email = pair.substring(0, pair.indexOf(' '));
      String slug = slug(Integer.parseInt(pair.substring(pair.lastIndexOf(' ') + 1)));
      DeliveryRecord record = log.get(DeliveryRecord.keyOf(slug, email));
      assertThat(record).as("delivery log entry of duplicated %s", pair).isNotNull();
      assertThat(record.possibleDuplicate()).as("delivery log names the duplicate %s: %s", pair, record).isTrue();
      // mailbox providers that keep one copy per Message-ID show the duplicate once
      assertThat(received.stream().filter(r -> pair.equals(r.to() + " " + r.subject())).map(Received::messageId)
          .distinct().toList()).as("every copy of %s carries the first one's Message-ID", pair).hasSize(1)
          .doesNotContainNull();
    }
    // the log also holds one fan-out marker per post, keyed "<slug> *"
    assertThat(log.values().stream().filter(r -> !r.email().equals(DeliveryRecord.MARKER_RECIPIENT)).toList())
        .as("delivery log: every delivery ended as sent")
        .hasSize(expected).allMatch(r -> r.status() == DeliveryStatus.SENT);
    assertThat(postNumbers(inbox)).as("post files stranded in the inbox").isEmpty();
    assertThat(postNumbers(processed)).as("post files in processed/").hasSize(size.posts());
    assertThat(postNumbers(rejected)).as("post files in rejected/").isEmpty();
    assertThat(feedSlugs).as("the feed lists every published post")
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, size.posts()).mapToObj(ChaosRunTest::slug).toList());
  }

  /** One disruption: kill a service, restart the broker, or take the SMTP server away. */
  private record ChaosAction(String kind, String target) {
    String describe() {
      return kind + " " + target;
    }
  }

  /** Each service killed killsPerService times, one broker restart, one SMTP outage, shuffled. */
  private List<ChaosAction> plan() {
    List<ChaosAction> plan = new ArrayList<>();
    for (int j = 0; j < size.killsPerService(); j++) {
      for (String service : List.of("ingest-service", "publisher-service", "feed-service")) {
        plan.add(new ChaosAction("kill", service));
      }
    }
    plan.add(new ChaosAction("broker", "kafka"));
    plan.add(new ChaosAction("smtp", "greenmail"));
    Collections.shuffle(plan, random);
    return plan;
  }

  private static void drop(Path inbox, int n) {
    try {
      Path temp = inbox.resolve(String.format(Locale.ROOT, "chaos-post-%04d.txt.part", n));
      Files.writeString(temp, title(n) + "\n\nThe body of chaos post " + n + ", with “quotes” and an en dash – kept.\n\n"
          + "A second paragraph so the mail has some weight.\n", StandardCharsets.UTF_8);
      Files.move(temp, inbox.resolve(String.format(Locale.ROOT, "chaos-post-%04d.txt", n)), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot drop post " + n, e);
    }
  }

  private static String title(int n) {
    return String.format(Locale.ROOT, "Chaos post %04d", n);
  }

  private static String slug(int n) {
    return String.format(Locale.ROOT, "chaos-post-%04d", n);
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

  private String progress(int dropped, int mails) {
    return String.format(Locale.ROOT, "(after %d/%d posts dropped, %d/%d mails)", dropped, size.posts(), mails,
        size.expectedMails());
  }

  private void event(String what, Duration took) {
    double at = (System.nanoTime() - runStarted) / 1e9;
    events.add(new String[] {String.format(Locale.ROOT, "%7.1f s", at), what, String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0)});
    System.out.printf("chaos: %s: %s, healthy again after %.1f s%n", events.get(events.size() - 1)[0], what, took.toMillis() / 1000.0);
  }

  /** The bound the publisher guarantees: window x connections per mailer kill, one per connection for the outage. */
  private static int allowedDuplicates(int publisherKills) {
    return new DuplicateBound(SMTP_CONCURRENCY, IN_DOUBT_WINDOW).allowed(publisherKills, 1);
  }

  private void printFigures(int mails, int uniquePairs, int duplicates, List<ServiceProcess> services, Duration recovered) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n=== Chaos run figures (%s) ===%n", size.name()));
    out.append(String.format(Locale.ROOT, "| %-48s | %12s |%n", "figure", "value"));
    out.append(String.format(Locale.ROOT, "| %-48s | %12s |%n", "-".repeat(48), "-".repeat(12)));
    row(out, "posts dropped", size.posts());
    row(out, "confirmed subscribers", size.subscribers());
    for (ServiceProcess s : services) {
      row(out, "kill -9 of " + s.name(), s.kills());
    }
    row(out, "Kafka broker restarts", 1);
    row(out, "SMTP outage (s)", (int) size.smtpOutage().toSeconds());
    row(out, "mails expected", size.expectedMails());
    row(out, "mails received", mails);
    row(out, "distinct (subscriber, post) pairs received", uniquePairs);
    row(out, "duplicates", duplicates);
    row(out, "in-doubt window", IN_DOUBT_WINDOW);
    row(out, "allowed duplicates (conc. x (window x kills+1))", allowedDuplicates(services.get(1).kills()));
    out.append(String.format(Locale.ROOT, "| %-48s | %10.1f s |%n", "last recovery to all mail delivered", recovered.toMillis() / 1000.0));
    out.append(String.format(Locale.ROOT, "| %-48s | %10.1f s |%n", "whole run", (System.nanoTime() - runStarted) / 1e9));
    out.append(String.format(Locale.ROOT, "%n| %9s | %-80s | %-9s |%n", "at", "event", "recovery"));
    for (String[] e : events) {
      out.append(String.format(Locale.ROOT, "| %9s | %-80s | %9s |%n", e[0], e[1], e[2]));
    }
    System.out.println(out);
  }

  private static void row(StringBuilder out, String name, int value) {
    out.append(String.format(Locale.ROOT, "| %-48s | %12d |%n", name, value));
  }

  /** True once the count has not moved since the previous look. */
  /** Mail received so far and the rate since the last line, printed at most once per interval. */
  private static final class Progress {
    private final IntSupplier count;
    private final int expected;
    private long lastNanos = System.nanoTime();
    private int lastCount;

    Progress(IntSupplier count, int expected) {
      this.count = count;
      this.expected = expected;
      this.lastCount = count.getAsInt();
    }

    void printEvery(Duration interval) {
      long now = System.nanoTime();
      if (now - lastNanos < interval.toNanos()) {
        return;
      }
      int received = count.getAsInt();
      System.out.printf(Locale.ROOT, "chaos: %,d of %,d mails received (%,.0f/s)%n", received, expected,
          (received - lastCount) / ((now - lastNanos) / 1e9));
      lastNanos = now;
      lastCount = received;
    }
  }

  private static final class StableCount implements java.util.concurrent.Callable<Boolean> {
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
