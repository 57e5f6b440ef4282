package dev.pressline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.testing.Inbox;
import dev.pressline.ingest.testing.PausingIngestMain;
import dev.pressline.ingest.testing.PostsTopic;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the ingest process with SIGKILL (a child JVM, {@code kill -9}) between Kafka's acknowledgement
 * and the file's move, and at random moments while posts flow; after each restart nothing is lost,
 * nothing is published twice in effect, and no file is stranded.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CrashTest {

  @TempDir Path root;
  private KafkaSettings kafka;
  private Folders folders;
  private Inbox inbox;
  private PostsTopic topic;
  private Child child;

  /** The ingest child process and what it printed. */
  private static final class Child {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();

    Child(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("stdout closed: " + e.getMessage());
        }
      }, "child-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    boolean printed(String prefix) {
      return lines.stream().anyMatch(l -> l.startsWith(prefix));
    }

    void kill9() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL on Linux and macOS: no shutdown hooks, no flushing
      process.waitFor();
      String steps = lines.stream().filter(l -> l.startsWith("ACKED") || l.startsWith("DONE")).collect(Collectors.joining("; "));
      System.out.println("killed the ingest child with SIGKILL after: " + (steps.isEmpty() ? "nothing" : steps));
    }
  }

  @BeforeEach
  void setUp(KafkaBroker broker) {
    kafka = broker.freshSettings();
    folders = Folders.under(root).create();
    inbox = new Inbox(folders);
    topic = new PostsTopic(kafka);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (child != null && child.process.isAlive()) {
      child.kill9();
    }
    topic.close();
  }

  private Child startChild(boolean pauseAfterAck) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), PausingIngestMain.class.getName())
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("PRESSLINE_"));
    env.put("PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("PRESSLINE_TOPIC_PREFIX", kafka.topics().prefix());
    env.put("PRESSLINE_DELIVERIES_PARTITIONS", "4");
    env.put("PRESSLINE_INBOX_DIR", folders.inbox().toString());
    env.put("PRESSLINE_PROCESSED_DIR", folders.processed().toString());
    env.put("PRESSLINE_REJECTED_DIR", folders.rejected().toString());
    env.put("PRESSLINE_MEDIA_DIR", folders.media().toString());
    env.put("PRESSLINE_INGEST_PORT", "0");
    env.put("PRESSLINE_INGEST_SETTLE_TIME", "100ms");
    env.put("PRESSLINE_INGEST_POLL_INTERVAL", "50ms");
    env.put("PRESSLINE_TEST_PAUSE_AFTER_ACK", String.valueOf(pauseAfterAck));
    child = new Child(pb.start());
    await().atMost(Duration.ofSeconds(60)).until(() -> child.printed("READY") || !child.process.isAlive());
    assertThat(child.process.isAlive()).as("child started; it printed %s", child.lines).isTrue();
    return child;
  }

  private static String post(int n) {
    return "Post number " + n + "\n\nThe body of post " + n + ", with “quotes”.\n";
  }

  @Test
  void killedBetweenAcknowledgementAndMoveRecognisesTheRepeatAfterRestart() throws Exception {
    startChild(true);
    inbox.drop("crash.txt", post(1));
    await().atMost(Duration.ofSeconds(20)).until(() -> child.printed("ACKED crash.txt"));
    child.kill9();

    assertThat(inbox.inbox()).containsExactly("crash.txt");
    await().atMost(Duration.ofSeconds(10)).until(() -> topic.events().size() == 1);

    startChild(false);
    await().atMost(Duration.ofSeconds(20)).until(() -> inbox.inbox().isEmpty());

    assertThat(inbox.processed()).containsExactly("crash.txt", "crash.txt.receipt.txt");
    assertThat(inbox.read(folders.processed(), "crash.txt.receipt.txt")).contains("Not published again");
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> topic.events().size() == 1);
    assertThat(inbox.rejected()).isEmpty();
  }

  @Test
  void killedAtRandomMomentsWhilePostsFlowLosesNothingAndRepeatsNothing() throws Exception {
    Random random = new Random(42);
    int posts = 24;
    int dropped = 0;
    startChild(false);
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 5 && dropped < posts; i++, dropped++) {
        inbox.drop(String.format("post-%02d.txt", dropped), post(dropped));
      }
      // somewhere between taking nothing yet and having taken everything of this round
      Thread.sleep(150 + random.nextInt(700));
      child.kill9();
      startChild(false);
    }
    while (dropped < posts) {
      inbox.drop(String.format("post-%02d.txt", dropped), post(dropped));
      dropped++;
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> inbox.inbox().isEmpty());
    await().atMost(Duration.ofSeconds(20)).until(() -> topic.events().stream().map(PostEvent::slug).distinct().count() == posts);

    List<PostEvent> events = topic.events();
    Map<String, Set<String>> slugsByContent =
        events.stream().collect(Collectors.groupingBy(PostEvent::contentHash, Collectors.mapping(PostEvent::slug, Collectors.toSet())));
    assertThat(slugsByContent).hasSize(posts).allSatisfy((hash, slugs) -> assertThat(slugs).hasSize(1));
    assertThat(events).allMatch(e -> e.revision() == 1);
    assertThat(inbox.processed().stream().filter(n -> n.endsWith(".txt") && !n.endsWith(".receipt.txt"))).hasSize(posts);
    assertThat(inbox.rejected()).isEmpty();
  }
}
