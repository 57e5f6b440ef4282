package dev.pressline.feed.podcastindex;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The merged rome.properties of the shaded jar must keep every plugin the separate jars register.
 */
class RomePropertiesTest {

  @Test
  void shadedFileListsEveryPluginOfEveryJar() throws Exception {
    Properties merged = new Properties();
    try (Reader reader =
        Files.newBufferedReader(
            Path.of("src/main/shade/rome.properties"), StandardCharsets.UTF_8)) {
      merged.load(reader);
    }
    List<URL> files = Collections.list(getClass().getClassLoader().getResources("rome.properties"));
    assertThat(files).hasSizeGreaterThanOrEqualTo(2); // rome-modules' and this module's
    for (URL file : files) {
      Properties single = new Properties();
      try (InputStream in = file.openStream()) {
        single.load(in);
      }
      for (String key : single.stringPropertyNames()) {
        assertThat(classes(merged, key))
            .as(key + " from " + file)
            .containsAll(classes(single, key));
      }
    }
    assertThat(classes(merged, "rss_2.0.item.ModuleGenerator.classes"))
        .contains(
            PodcastIndexGenerator.class.getName(),
            "com.rometools.modules.itunes.io.ITunesGenerator");
  }

  private static Set<String> classes(Properties properties, String key) {
    String value = properties.getProperty(key, "");
    return new HashSet<>(Arrays.asList(value.trim().split("[\\s,]+")));
  }
}
