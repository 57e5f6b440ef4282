package dev.pressline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.testing.RunningIngest;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicMisconfiguredException;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** ingest-service gives up at start, and says why, on topics it must not use. */
@ExtendWith(KafkaBrokerExtension.class)
class IngestRefusalTest {

  @Test
  void refusesToStartWhenTheClusterCannotHoldTheReplicasTheSettingAsksFor(KafkaBroker broker, @TempDir Path root)
      throws Exception {
    KafkaSettings one = broker.freshSettings();
    KafkaSettings three = new KafkaSettings(one.bootstrapServers(), one.topics(), 4, (short) 3);

    try (IngestService service = IngestService.start(RunningIngest.config(three, Folders.under(root)))) {
      RuntimeException reason = service.refusal().get(60, TimeUnit.SECONDS);

      assertThat(reason).isInstanceOf(TopicMisconfiguredException.class)
          .hasMessageContaining("PRESSLINE_REPLICATION_FACTOR is 3");
      HttpResponse<String> live = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + service.healthPort() + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(503);
      assertThat(live.body()).contains("refused to start");
    }
  }
}
