package dev.pressline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.support.config.InvalidSettingException;
import dev.pressline.support.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

  @Test
  void hasWorkingDefaults() {
    IngestConfig config = IngestConfig.from(Settings.of(Map.of()));

    assertThat(config.folders().inbox()).isEqualTo(Path.of("data", "inbox"));
    assertThat(config.folders().media()).isEqualTo(Path.of("data", "media"));
    assertThat(config.port()).isEqualTo(8082);
    assertThat(config.settleTime()).isEqualTo(Duration.ofMillis(300));
    assertThat(config.maxPostBytes()).isEqualTo(1024 * 1024);
    assertThat(config.parseTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.publicBaseUrl()).isEqualTo("http://localhost:8080");
    assertThat(config.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(config.kafka().topics().posts()).isEqualTo("pressline.posts");
  }

  @Test
  void readsEverySettingAndTrimsTheBaseUrl() {
    IngestConfig config = IngestConfig.from(Settings.of(Map.of(
        "PRESSLINE_INBOX_DIR", "/srv/in", "PRESSLINE_INGEST_SETTLE_TIME", "2s", "PRESSLINE_INGEST_MEDIA_GRACE", "5m",
        "PRESSLINE_PUBLIC_BASE_URL", "https://news.example.org/", "PRESSLINE_TIME_ZONE", "Europe/Berlin",
        "PRESSLINE_MAX_POST_BYTES", "1000", "PRESSLINE_INGEST_PARSE_TIMEOUT", "30s")));

    assertThat(config.folders().inbox()).isEqualTo(Path.of("/srv/in"));
    assertThat(config.settleTime()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.mediaGrace()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.publicBaseUrl()).isEqualTo("https://news.example.org");
    assertThat(config.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(config.maxPostBytes()).isEqualTo(1000);
    assertThat(config.parseTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesBadValuesNamingTheSetting() {
    assertThatThrownBy(() -> IngestConfig.from(Settings.of(Map.of("PRESSLINE_PUBLIC_BASE_URL", "news.example.org"))))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("PRESSLINE_PUBLIC_BASE_URL");
    assertThatThrownBy(() -> IngestConfig.from(Settings.of(Map.of("PRESSLINE_INGEST_POLL_INTERVAL", "0s"))))
        .hasMessageContaining("PRESSLINE_INGEST_POLL_INTERVAL");
    assertThatThrownBy(() -> IngestConfig.from(Settings.of(Map.of("PRESSLINE_TIME_ZONE", "Mars/Olympus"))))
        .hasMessageContaining("PRESSLINE_TIME_ZONE");
    assertThatThrownBy(() -> IngestConfig.from(Settings.of(Map.of(
        "PRESSLINE_INBOX_DIR", "data/in", "PRESSLINE_PROCESSED_DIR", "data/./in"))))
        .hasMessageContaining("PRESSLINE_INBOX_DIR").hasMessageContaining("a folder of its own");
  }
}
