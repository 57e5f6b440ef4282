package dev.pressline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.process.ProcessingListener;
import dev.pressline.ingest.testing.Inbox;
import dev.pressline.ingest.testing.RunningIngest;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part that is stuck, not dead, is reported by liveness: the inbox thread blocked in the middle of
 * taking a file (after Kafka acknowledged it, before the file moves: the step where the processing
 * listener is told, here waiting for a lock the test holds) turns {@code /health/live} into a 503
 * naming it, and it answers 200 again once the thread moves on and the file is done with.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StuckPartsTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path root;

  @Test
  void anInboxThreadBlockedWhileTakingAFileIsReportedStuckThenAliveAgain(KafkaBroker broker) throws Exception {
    Folders folders = Folders.under(root);
    IngestConfig config =
        RunningIngest.config(broker.freshSettings(), folders).withStallLimit(Duration.ofSeconds(1));
    ReentrantLock held = new ReentrantLock();
    ProcessingListener waitsForTheLock = new ProcessingListener() {
      @Override
      public void acknowledged(PostEvent event, Path file) {
        held.lock();
        held.unlock();
      }
    };
    try (IngestService service = IngestService.start(config, Clock.systemUTC(), waitsForTheLock)) {
      assertThat(service.awaitReady(Duration.ofSeconds(60))).isTrue();
      assertThat(get(service, "/health/live").statusCode()).isEqualTo(200);
      Inbox inbox = new Inbox(folders);

      held.lock();
      try {
        inbox.drop("held.txt", "Held Up\n\nThis post waits behind a lock the test holds.\n");
        await("the inbox thread reported stuck while it waits for the lock")
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> {
              HttpResponse<String> live = get(service, "/health/live");
              assertThat(live.statusCode()).isEqualTo(503);
              assertThat(live.body())
                  .contains("\"status\":\"STOPPED\"")
                  .contains("the inbox thread has been taking files from the inbox for ")
                  .contains("without progress (limit 1 s); restart the service");
            });
        assertThat(held.hasQueuedThreads()).as("stuck, not dead: the inbox thread waits for the lock").isTrue();
        assertThat(get(service, "/health/ready").statusCode()).as("no file is taken meanwhile").isEqualTo(503);
        assertThat(inbox.inbox()).contains("held.txt");
      } finally {
        held.unlock();
      }

      await("alive again once the lock is free").atMost(Duration.ofSeconds(30))
          .until(() -> get(service, "/health/live").statusCode() == 200);
      await().atMost(Duration.ofSeconds(30)).until(() -> inbox.processed().contains("held.txt"));
      assertThat(get(service, "/health/ready").statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> get(IngestService service, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + service.healthPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
