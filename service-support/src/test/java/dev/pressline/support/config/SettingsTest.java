package dev.pressline.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @Test
  void environmentWinsOverFileAndFileOverDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pressline.properties");
    Files.writeString(file, "PRESSLINE_A=from-file\nPRESSLINE_B=from-file\n");

    Settings settings =
        Settings.fromEnvironment(Map.of("PRESSLINE_CONFIG", file.toString(), "PRESSLINE_A", "from-env", "HOME", "/x"));

    assertThat(settings.string("PRESSLINE_A", "default")).isEqualTo("from-env");
    assertThat(settings.string("PRESSLINE_B", "default")).isEqualTo("from-file");
    assertThat(settings.string("PRESSLINE_C", "default")).isEqualTo("default");
    assertThat(settings.optional("HOME")).isNull();
  }

  @Test
  void launcherDefaultsGiveWayToWhatTheUserSet() {
    Settings user = Settings.of(Map.of("PRESSLINE_FEED_PORT", "9000"));

    Settings merged = user.withDefaults(Map.of("PRESSLINE_FEED_PORT", "8080", "PRESSLINE_SMTP_PORT", "2525"));

    assertThat(merged.integer("PRESSLINE_FEED_PORT", 0, 0, 65535)).isEqualTo(9000);
    assertThat(merged.integer("PRESSLINE_SMTP_PORT", 0, 0, 65535)).isEqualTo(2525);
  }

  @Test
  void readsDurationsInEveryDocumentedForm() {
    Settings s = Settings.of(Map.of("A", "250ms", "B", "30s", "C", "5m", "D", "PT2H"));

    assertThat(s.duration("A", null)).isEqualTo(Duration.ofMillis(250));
    assertThat(s.duration("B", null)).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.duration("C", null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.duration("D", null)).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void badValuesNameTheSettingAndWhatItExpects() {
    Settings s = Settings.of(Map.of("PORT", "eighty", "BIG", "70000", "FLAG", "maybe", "WAIT", "soon"));

    assertThatThrownBy(() -> s.integer("PORT", 1, 0, 65535)).hasMessageContaining("PORT").hasMessageContaining("whole number");
    assertThatThrownBy(() -> s.integer("BIG", 1, 0, 65535)).hasMessageContaining("from 0 to 65535");
    assertThatThrownBy(() -> s.bool("FLAG", true)).hasMessageContaining("true or false");
    assertThatThrownBy(() -> s.duration("WAIT", Duration.ZERO)).hasMessageContaining("500ms");
  }
}
