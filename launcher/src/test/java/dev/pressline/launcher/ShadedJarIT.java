package dev.pressline.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The all-in-one jar that {@code ./pipeline up} runs, opened after {@code package}: Rome finds its
 * feed modules only through the jar's one rome.properties, so the file decides whether
 * /podcast.xml carries the iTunes and the Podcasting 2.0 tags.
 */
class ShadedJarIT {

  private static final String PODCAST_INDEX =
      "dev.pressline.feed.podcastindex.PodcastIndexGenerator";
  private static final String ITUNES = "com.rometools.modules.itunes.io.ITunesGenerator";

  @Test
  void romePropertiesRegistersTheItunesAndPodcastIndexGenerators() throws Exception {
    Path jar = Path.of(System.getProperty("pressline.shadedJar"));
    assertThat(jar).isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      ZipEntry entry = file.getEntry("rome.properties");
      assertThat(entry).as("rome.properties in " + jar).isNotNull();
      Properties rome = new Properties();
      try (InputStream in = file.getInputStream(entry)) {
        rome.load(in);
      }
      for (String key :
          List.of("rss_2.0.feed.ModuleGenerator.classes", "rss_2.0.item.ModuleGenerator.classes")) {
        assertThat(classes(rome, key)).as(key).contains(PODCAST_INDEX, ITUNES);
      }
      for (String key : rome.stringPropertyNames()) {
        for (String name : classes(rome, key)) {
          assertThat(file.getEntry(name.replace('.', '/') + ".class"))
              .as(name + " named by " + key + " is in the jar")
              .isNotNull();
        }
      }
      String text;
      try (InputStream in = file.getInputStream(entry)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      // the very file feed-service's own jar carries (RomePropertiesTest checks it lists every plugin)
      assertThat(text)
          .isEqualTo(
              Files.readString(Path.of("../feed-service/src/main/shade/rome.properties")));
    }
  }

  private static List<String> classes(Properties properties, String key) {
    return Arrays.stream(properties.getProperty(key, "").trim().split("[\\s,]+"))
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
