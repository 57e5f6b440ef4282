package dev.pressline.ingest.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.testing.RunningIngest;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10 #5: a post that takes very long to parse is rejected in time and holds up no other. */
@ExtendWith(KafkaBrokerExtension.class)
class SlowPostsTest {

  @TempDir Path root;

  @Test
  void aPostThatTakesTooLongToParseIsRejectedAndThePostsBehindItAreTaken(KafkaBroker broker) throws Exception {
    Folders folders = Folders.under(root.resolve("data"));
    IngestConfig config = RunningIngest.config(broker.freshSettings(), folders).withParseTimeout(Duration.ofMillis(500));
    try (RunningIngest ingest = RunningIngest.start(config)) {
      // 200 KB of unclosed '<a': CommonMark's inline HTML scan makes this quadratic (several seconds
      // here; minutes at a megabyte), far beyond the half second allowed
      ingest.inbox().drop("slow.md", "# Slow to read\n\n" + "<a".repeat(100_000) + "\n");
      ingest.inbox().drop("behind.txt", "Behind the slow one\n\nTaken all the same.\n");

      await().atMost(Duration.ofSeconds(8)).until(() -> ingest.inbox().inbox().isEmpty());

      assertThat(ingest.inbox().read(folders.rejected(), "slow.md.reason.txt"))
          .contains("took longer than the 500 ms", "PRESSLINE_INGEST_PARSE_TIMEOUT");
      assertThat(ingest.awaitEvents(1)).extracting(PostEvent::title).containsExactly("Behind the slow one");
    }
  }
}
