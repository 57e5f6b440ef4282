package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.events.PostEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.smtp.SmtpConfig;
import dev.pressline.publisher.subscribe.SubscriberWriter;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a publisher running in its own JVM in the middle of a large send, then a restart: every
 * subscriber has the post, the duplicates are no more than the in-doubt window times the connections,
 * each is listed in the delivery log, and each carries the first copy's Message-ID.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MailerCrashTest {

  /** Scale with -Dpressline.crash.subscribers=10000; the default keeps the module's test run short. */
  private static final int SUBSCRIBERS = Integer.getInteger("pressline.crash.subscribers", 600);
  private static final int CONCURRENCY = 4;
  private static final int WORKERS_PER_CONNECTION = 4;
  /** The shipped default unless -Dpressline.crash.window says otherwise. */
  private static final int WINDOW = Integer.getInteger("pressline.crash.window", SmtpConfig.DEFAULT_IN_DOUBT_WINDOW);

  @RegisterExtension
  final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void hardKillMidSendThenRestartMissesNobodyAndListsTheFewPossibleDuplicates(KafkaBroker broker) throws Exception {
    List<String> readers = IntStream.range(0, SUBSCRIBERS).mapToObj(i -> "crash" + i + "@example.com").toList();
    int port = freePort();
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), dir)) {
      try (SubscriberWriter writer = new SubscriberWriter(pipeline.kafka, "test-import", Clock.systemUTC())) {
        readers.forEach(r -> writer.writeAsync(r, SubscriberStatus.CONFIRMED, "test"));
        writer.flush();
      }
      Map<String, String> env = new HashMap<>();
      env.put("PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", pipeline.kafka.bootstrapServers());
      env.put("PRESSLINE_TOPIC_PREFIX", pipeline.kafka.topics().prefix());
      env.put("PRESSLINE_DELIVERIES_PARTITIONS", String.valueOf(pipeline.kafka.deliveriesPartitions()));
      env.put("PRESSLINE_PUBLISHER_PORT", String.valueOf(port));
      env.put("PRESSLINE_PUBLISHER_INSTANCE_ID", "crashing");
      env.put("PRESSLINE_SMTP_HOST", "127.0.0.1");
      env.put("PRESSLINE_SMTP_PORT", String.valueOf(mail.getSmtp().getPort()));
      env.put("PRESSLINE_SMTP_CONCURRENCY", String.valueOf(CONCURRENCY));
      env.put("PRESSLINE_SMTP_WORKERS_PER_CONNECTION", String.valueOf(WORKERS_PER_CONNECTION));
      env.put(PublisherConfig.MAIL_IN_DOUBT_WINDOW, String.valueOf(WINDOW));
      env.put("PRESSLINE_STATE_DIR", dir.resolve("state").toString());
      env.put("PRESSLINE_ADMIN_TOKEN", "crash-test-admin");

      PostEvent post = SeedPosts.fromSeed("002_", "large-post");
      Process first = startChild(env, dir.resolve("first.log"));
      try {
        awaitHealthy(port);
        pipeline.publish(post);
        // the child's own report is cheap to ask; GreenMail's message list is rebuilt on every call
        await().atMost(patience()).pollInterval(Duration.ofMillis(50))
            .until(() -> sentSoFar(port, post.slug()) >= SUBSCRIBERS / 5);
      } finally {
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, connections cut mid-conversation
        first.waitFor();
      }
      int atKill = mail.getReceivedMessages().length;
      assertThat(atKill).as("killed in the middle of the send").isLessThan(SUBSCRIBERS);

      Process second = startChild(env, dir.resolve("second.log"));
      try {
        awaitHealthy(port);
        JsonNode report = awaitReport(port, post.slug());
        MimeMessage[] received = mail.getReceivedMessages();
        Map<String, Long> perReader = Arrays.stream(received)
            .collect(Collectors.groupingBy(PublisherDeliveryTest::recipient, Collectors.counting()));
        Map<String, Set<String>> idsPerReader = Arrays.stream(received).collect(Collectors.groupingBy(
            PublisherDeliveryTest::recipient, Collectors.mapping(MailerCrashTest::messageId, Collectors.toSet())));
        assertThat(perReader.keySet()).as("none missing").isEqualTo(Set.copyOf(readers));
        List<String> duplicated = perReader.entrySet().stream().filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey).toList();
        List<String> listed = new ArrayList<>();
        report.get("possibleDuplicates").forEach(n -> listed.add(n.asText()));
        assertThat(perReader.values()).allMatch(n -> n <= 2);
        // a job takes its place in the window before its "handing to SMTP" entry and gives it back
        // once its outcome is durable: whatever a kill leaves in doubt fits in window x connections
        assertThat(duplicated.size()).as("duplicates after one kill").isLessThanOrEqualTo(WINDOW * CONCURRENCY);
        assertThat(listed).as("possible duplicates the log names").hasSizeLessThanOrEqualTo(WINDOW * CONCURRENCY)
            .containsAll(duplicated);
        // mailbox providers that keep one copy per Message-ID show each duplicate once
        assertThat(idsPerReader).as("every copy to one reader has one Message-ID")
            .allSatisfy((reader, ids) -> assertThat(ids).hasSize(1));
        assertThat(idsPerReader.values().stream().flatMap(Set::stream).distinct().count())
            .as("readers' Message-IDs all differ").isEqualTo(SUBSCRIBERS);
        assertThat(report.get("sent").asInt()).isEqualTo(SUBSCRIBERS);
        System.out.printf("crash test: %d subscribers, window %d x %d connections, %d mails before kill -9, "
            + "%d duplicates, %d listed%n", SUBSCRIBERS, WINDOW, CONCURRENCY, atKill, duplicated.size(), listed.size());
      } finally {
        second.destroy();
        second.waitFor();
      }
    }
  }

  private static String messageId(MimeMessage message) {
    try {
      return message.getMessageID();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Generous for a loaded 2-core machine; grows with the number of subscribers. */
  private static Duration patience() {
    return Duration.ofSeconds(120).plusMillis(SUBSCRIBERS * 100L);
  }

  private int sentSoFar(int port, String slug) throws Exception {
    JsonNode report = report(port, slug);
    return report == null ? 0 : report.get("sent").asInt();
  }

  private JsonNode report(int port, String slug) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + port + "/admin/report?slug=" + slug))
        .header("Authorization", "Bearer crash-test-admin").build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? json.readTree(response.body()) : null;
  }

  // The waits after the kill leave exceptions of other threads alone: GreenMail's connection threads
  // end with one for each conversation the kill cut, which is the crash under test; what reached the
  // server is checked message by message afterwards.
  private JsonNode awaitReport(int port, String slug) throws Exception {
    JsonNode[] report = new JsonNode[1];
    await().atMost(patience()).pollInterval(Duration.ofMillis(200)).dontCatchUncaughtExceptions().until(() -> {
      report[0] = report(port, slug);
      return report[0] != null && report[0].get("sent").asInt() == SUBSCRIBERS;
    });
    return report[0];
  }

  private void awaitHealthy(int port) {
    await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(ConnectException.class)
        .dontCatchUncaughtExceptions().until(() ->
        http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
  }

  private static Process startChild(Map<String, String> env, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        PublisherMain.class.getName());
    builder.environment().keySet().removeIf(k -> k.startsWith("PRESSLINE_"));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return builder.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
