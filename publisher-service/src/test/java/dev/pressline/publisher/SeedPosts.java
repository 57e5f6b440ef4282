package dev.pressline.publisher;

import dev.pressline.events.MediaRef;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Post events made from the editors' sample files (read from the folder surefire names), for tests. */
final class SeedPosts {

  private SeedPosts() {}

  static Path seed(String prefix) {
    Path dir = Path.of(System.getProperty("pressline.seeds", "../../shared/seeds"));
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no seed " + prefix + " in " + dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PUBLISHED event for the seed file, its first line the title, published now. */
  static PostEvent fromSeed(String prefix, String slug) {
    try {
      String text = Files.readString(seed(prefix), StandardCharsets.UTF_8);
      return post(slug, text, Instant.now().minusSeconds(1), PostChange.PUBLISHED, 1, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PostEvent post(String slug, String fileText, Instant publishAt, PostChange change, int revision,
      MediaRef audio) {
    String[] lines = fileText.strip().split("\n", 2);
    String title = lines[0].strip();
    String body = lines.length > 1 ? lines[1].strip() : "";
    StringBuilder html = new StringBuilder();
    for (String paragraph : body.split("\n\\s*\n")) {
      html.append("<p>").append(paragraph.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
          .append("</p>\n");
    }
    return PostEvent.builder()
        .change(change)
        .slug(slug)
        .revision(revision)
        .title(title)
        .author("Ann Author")
        .summary("")
        .html(html.toString())
        .text(body)
        .publishAt(publishAt)
        .tags(List.of())
        .audio(audio)
        .email(true)
        .contentHash("hash-" + slug)
        .sourceFile(slug + ".txt")
        .ingestedAt(Instant.now())
        .build();
  }
}
