package dev.pressline.ingest.testing;

import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.IngestService;
import dev.pressline.ingest.process.Outcome;
import dev.pressline.ingest.process.ProcessingListener;
import dev.pressline.support.config.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * ingest-service as its own process for crash tests: the real service, configured from the
 * environment like {@code IngestMain}, that prints each step to stdout. With
 * {@code PRESSLINE_TEST_PAUSE_AFTER_ACK=true} it stops dead after Kafka acknowledged the first event
 * and before the file moves, so the test can kill it exactly there.
 */
public final class PausingIngestMain {

  public static void main(String[] args) throws InterruptedException {
    boolean pause = Boolean.parseBoolean(System.getenv("PRESSLINE_TEST_PAUSE_AFTER_ACK"));
    IngestConfig config = IngestConfig.from(Settings.fromEnvironment());
    CountDownLatch forever = new CountDownLatch(1);
    ProcessingListener listener = new ProcessingListener() {
      @Override
      public void acknowledged(PostEvent event, Path file) {
        System.out.println("ACKED " + file.getFileName() + " " + event.slug());
        System.out.flush();
        if (pause) {
          try {
            forever.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void finished(Outcome outcome) {
        System.out.println("DONE " + outcome.file() + " " + outcome.kind());
        System.out.flush();
      }
    };
    IngestService service = IngestService.start(config, Clock.systemUTC(), listener);
    if (service.awaitReady(java.time.Duration.ofSeconds(60))) {
      System.out.println("READY");
      System.out.flush();
    }
    forever.await();
  }
}
