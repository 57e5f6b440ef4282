package dev.pressline.outside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two ingest jars started on one shared inbox with the same PRESSLINE_INGEST_INSTANCE_ID, as an
 * operator who copied one instance's settings for the second would: the second refuses to start and
 * says why, and the first goes on taking files.
 */
@ExtendWith(KafkaBrokerExtension.class)
class IngestInstanceIdTest {

  private final Web web = new Web();

  @Test
  void aSecondInstanceWithTheSameIdRefusesToStartAndTheFirstGoesOn(KafkaBroker broker) throws Exception {
    Path dir = LaunchedPipeline.artefacts().resolve("ingest-instance-id-" + System.currentTimeMillis());
    Path inbox = Files.createDirectories(dir.resolve("inbox"));
    Map<String, String> env = new HashMap<>();
    env.put("PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("PRESSLINE_TOPIC_PREFIX", broker.freshSettings().topics().prefix());
    env.put("PRESSLINE_INBOX_DIR", inbox.toString());
    env.put("PRESSLINE_PROCESSED_DIR", dir.resolve("processed").toString());
    env.put("PRESSLINE_REJECTED_DIR", dir.resolve("rejected").toString());
    env.put("PRESSLINE_MEDIA_DIR", dir.resolve("media").toString());
    env.put("PRESSLINE_INGEST_INSTANCE_ID", "ingest-a");
    env.put("PRESSLINE_INGEST_CLAIM_LEASE", "5s");
    int firstPort = freePort();
    Map<String, String> first = new HashMap<>(env);
    first.put("PRESSLINE_INGEST_PORT", Integer.toString(firstPort));
    first.put("PRESSLINE_STATE_DIR", dir.resolve("state-first").toString());
    Map<String, String> second = new HashMap<>(env);
    second.put("PRESSLINE_INGEST_PORT", Integer.toString(freePort()));
    second.put("PRESSLINE_STATE_DIR", dir.resolve("state-second").toString());

    try (JarProcess one = JarProcess.start(ShippedJar.INGEST, List.of(), first, dir.resolve("first.log"))) {
      await("the first instance ready (" + one.log() + ")").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(one.isAlive()).as("the first instance exited:\n" + one.output()).isTrue();
            return web.status("http://localhost:" + firstPort + "/health/ready") == 200;
          });

      try (JarProcess two = JarProcess.start(ShippedJar.INGEST, List.of(), second, dir.resolve("second.log"))) {
        OptionalInt status = two.awaitExit(Duration.ofMinutes(2));
        assertThat(status).as("the second instance exits:\n" + two.output()).isPresent();
        assertThat(status.getAsInt()).isEqualTo(1);
        assertThat(two.output())
            .contains("ingest-service refuses to start: another ingest instance (process")
            .contains("as instance 'ingest-a'")
            .contains("give each its own PRESSLINE_INGEST_INSTANCE_ID");
      }

      Files.writeString(inbox.resolve("after.txt"), "After the second instance\n\nThe first one still takes files.\n");
      await("the post taken by the first instance").atMost(Duration.ofMinutes(1))
          .until(() -> Files.exists(dir.resolve("processed").resolve("after.txt")));
      assertThat(web.status("http://localhost:" + firstPort + "/health/ready")).isEqualTo(200);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
