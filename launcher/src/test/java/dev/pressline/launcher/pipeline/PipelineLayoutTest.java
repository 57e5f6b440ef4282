package dev.pressline.launcher.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.support.config.Settings;
import dev.pressline.support.http.HttpServerSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineLayoutTest {

  private final PipelineLayout layout = new PipelineLayout(Path.of("data"), 8080, 8081, 8082);

  @Test
  void theEmbeddedPipelineListensOnLoopbackUnlessTheUserSaysOtherwise() {
    Settings nothingSet = Settings.of(Map.of()).withDefaults(layout.serviceDefaults());
    assertThat(HttpServerSettings.from(nothingSet).bindHost()).isEqualTo("127.0.0.1");
    Settings everywhere = Settings.of(Map.of("PRESSLINE_HTTP_BIND", "*")).withDefaults(layout.serviceDefaults());
    assertThat(HttpServerSettings.from(everywhere).bindHost()).as("* is all interfaces").isNull();
  }
}
