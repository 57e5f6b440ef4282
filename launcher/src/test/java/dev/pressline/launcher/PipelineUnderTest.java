package dev.pressline.launcher;

import dev.pressline.launcher.pipeline.PipelineLayout;
import dev.pressline.launcher.pipeline.RunningServices;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The three services wired by the launcher's own code, on the test's real broker and SMTP server,
 * with folders in a temporary directory and free ports.
 */
final class PipelineUnderTest {

  final PipelineLayout layout;
  private final Settings settings;

  PipelineUnderTest(Path dataDir, KafkaSettings kafka, int smtpPort) {
    this.layout = new PipelineLayout(dataDir, 0, 0, 0);
    this.settings =
        Settings.of(layout.serviceDefaults())
            .with(PipelineLayout.embeddedInfrastructure(kafka.bootstrapServers(), smtpPort))
            .with(Map.of(KafkaSettings.TOPIC_PREFIX, kafka.topics().prefix(),
                KafkaSettings.DELIVERIES_PARTITIONS, Integer.toString(kafka.deliveriesPartitions())));
  }

  RunningServices start() {
    return RunningServices.start(settings);
  }

  Settings settings() {
    return settings;
  }

  String get(int port, String path) {
    return Http.get(port, path);
  }

  static List<String> fileNames(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
