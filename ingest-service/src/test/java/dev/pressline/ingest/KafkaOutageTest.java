package dev.pressline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.testing.Inbox;
import dev.pressline.ingest.testing.RunningIngest;
import dev.pressline.support.kafka.EmbeddedKafkaBroker;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka goes away while ingest-service runs: files wait in the inbox, health says why, and when the
 * broker is back everything flows. Uses its own broker (in-process KRaft) so it can be stopped.
 */
class KafkaOutageTest {

  /** One client, so its kept-alive connections are reused rather than piling up against the per-client limit. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path root;

  @Test
  void filesWaitInTheInboxWhileKafkaIsDownAndFlowWhenItReturns() throws Exception {
    int port = freePort();
    Path brokerDir = root.resolve("broker");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(brokerDir, port);
    KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), new TopicNames("outage."), 1, (short) 1);
    Folders folders = Folders.under(root.resolve("data"));
    try (RunningIngest ingest = RunningIngest.start(RunningIngest.config(kafka, folders))) {
      Inbox inbox = ingest.inbox();
      inbox.drop("before.txt", "Before the outage\n\nBody.\n");
      ingest.awaitEvents(1);

      broker.close();
      inbox.drop("during.txt", "During the outage\n\nBody.\n");

      await().atMost(Duration.ofSeconds(60)).until(() -> health(ingest, "/health").statusCode() == 503);
      assertThat(health(ingest, "/health").body()).contains("Kafka did not acknowledge the post 'during-the-outage'");
      assertThat(health(ingest, "/health/live").statusCode()).as("not ready, but nothing to restart for").isEqualTo(200);
      assertThat(inbox.inbox()).containsExactly("during.txt");
      assertThat(inbox.rejected()).isEmpty();

      broker = EmbeddedKafkaBroker.start(brokerDir, port);
      await().atMost(Duration.ofSeconds(90)).until(() -> inbox.inbox().isEmpty());
      assertThat(ingest.awaitEvents(2)).extracting(e -> e.slug()).containsExactly("before-the-outage", "during-the-outage");
      await().atMost(Duration.ofSeconds(10)).until(() -> health(ingest, "/health/ready").statusCode() == 200);
    } finally {
      broker.close();
    }
  }

  private static HttpResponse<String> health(RunningIngest ingest, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + ingest.service().healthPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
