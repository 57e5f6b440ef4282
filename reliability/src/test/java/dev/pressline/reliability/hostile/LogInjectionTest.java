package dev.pressline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.ingest.IngestMain;
import dev.pressline.reliability.process.ChildJvm;
import dev.pressline.reliability.process.FreePort;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Was a bug, fixed in the log layout: ingest-service wrote file names into its log
 * as they are, so a name with a line break forges a log line and one with ANSI escapes reaches the
 * operator's terminal. Runs ingest as its own process and reads what it logged.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LogInjectionTest {

  private static final String FORGED = "FORGED LINE: ingest-service stopped by the operator";

  @Test
  void fileNamesCannotForgeLogLinesOrReachTheTerminal(KafkaBroker broker, @TempDir Path root) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    Path inbox = Files.createDirectories(root.resolve("inbox"));
    Path log = root.resolve("ingest.log");
    int port = FreePort.pick();
    try (ChildJvm ingest = ChildJvm.start("ingest-service", IngestMain.class.getName(), List.of(), Map.of(
        "PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "PRESSLINE_TOPIC_PREFIX", kafka.topics().prefix(),
        "PRESSLINE_INBOX_DIR", inbox.toString(),
        "PRESSLINE_PROCESSED_DIR", root.resolve("processed").toString(),
        "PRESSLINE_REJECTED_DIR", root.resolve("rejected").toString(),
        "PRESSLINE_MEDIA_DIR", root.resolve("media").toString(),
        "PRESSLINE_INGEST_PORT", Integer.toString(port)), "256m", log)) {
      Http http = new Http();
      await("ingest healthy").atMost(Duration.ofMinutes(2)).until(() -> http.status(port, "/health") == 200);
      String name = "post\n" + FORGED + "\n\u001b[2J\u001b[31mred.txt";
      Files.writeString(inbox.resolve("post.part"), "A post with a strange name\n\nBody.\n");
      Files.move(inbox.resolve("post.part"), inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      await("the file is dealt with").atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(inbox.resolve(name)));
      await("the outcome is logged").atMost(Duration.ofSeconds(10))
          .until(() -> Files.readString(log, StandardCharsets.UTF_8).contains("red.txt"));
      String logged = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(logged.lines()).as("a log line made up by a file name").noneMatch(l -> l.startsWith(FORGED));
      assertThat(logged).as("ANSI escape sequences from a file name").doesNotContain("\u001b[");
    }
  }
}
