package dev.pressline.bench.content;

import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Post bodies for the benchmarks: the editors' sample posts read at run time from the seeds folder
 * (their text never enters the repository), or generated prose of similar length when the folder
 * is missing. Each benchmark post gets its own title and slug so none is taken for a duplicate.
 */
public final class SamplePosts {

  private final List<Sample> samples;

  private SamplePosts(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  /** One sample: its title line and its paragraphs of plain text. */
  public record Sample(String title, List<String> paragraphs) {}

  public static SamplePosts load(Path seeds) {
    List<Sample> loaded = new ArrayList<>();
    if (seeds != null) {
      try (Stream<Path> files = Files.list(seeds)) {
        for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".txt")).sorted().toList()) {
          loaded.add(parse(Files.readString(file, StandardCharsets.UTF_8)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the sample posts in " + seeds, e);
      }
    }
    if (loaded.isEmpty()) {
      loaded.add(generated());
    }
    return new SamplePosts(loaded);
  }

  private static Sample parse(String text) {
    String[] blocks = text.replace("\r\n", "\n").strip().split("\n\\s*\n");
    String first = blocks[0].strip();
    int newline = first.indexOf('\n');
    String title = shortTitle(newline < 0 ? first : first.substring(0, newline).strip());
    List<String> paragraphs = new ArrayList<>();
    if (newline >= 0) {
      paragraphs.add(first.substring(newline + 1).strip().replace('\n', ' '));
    }
    for (int i = 1; i < blocks.length; i++) {
      paragraphs.add(blocks[i].strip().replace('\n', ' '));
    }
    return new Sample(title, paragraphs);
  }

  /** Some samples glue a caption to the title line; ingest refuses titles over 150 characters. */
  private static String shortTitle(String line) {
    if (line.length() <= 100) {
      return line;
    }
    int space = line.lastIndexOf(' ', 100);
    return line.substring(0, space > 40 ? space : 100).strip();
  }

  private static Sample generated() {
    List<String> paragraphs = new ArrayList<>();
    String sentence = "Readers write to us every week about the small habits that keep a relationship "
        + "kind and honest, and this week we answer three of those letters in turn. ";
    for (int i = 0; i < 24; i++) {
      paragraphs.add(sentence.repeat(3).strip());
    }
    return new Sample("Letters from readers", paragraphs);
  }

  public int size() {
    return samples.size();
  }

  public Sample sample(int index) {
    return samples.get(Math.floorMod(index, samples.size()));
  }

  /** The title of benchmark post {@code index}: a sample's title made unique. */
  public String title(int index) {
    return sample(index).title() + " (bench " + index + ")";
  }

  /** A Markdown file with front matter, as an editor would drop it into the inbox. */
  public String markdown(int index, String slug) {
    Sample sample = sample(index);
    StringBuilder md = new StringBuilder();
    md.append("---\n");
    md.append("title: \"").append(title(index).replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
    md.append("slug: ").append(slug).append('\n');
    md.append("author: Bench\n");
    md.append("---\n\n");
    for (String paragraph : sample.paragraphs()) {
      md.append(paragraph).append("\n\n");
    }
    return md.toString();
  }

  /** A published post event as ingest-service would put it on the {@code posts} topic. */
  public PostEvent event(int index, String slug, Instant publishAt) {
    Sample sample = sample(index);
    StringBuilder html = new StringBuilder();
    for (String paragraph : sample.paragraphs()) {
      html.append("<p>").append(escape(paragraph)).append("</p>\n");
    }
    String text = String.join("\n\n", sample.paragraphs());
    String summary = sample.paragraphs().isEmpty() ? "" : abbreviate(sample.paragraphs().get(0));
    return PostEvent.builder()
        .change(PostChange.PUBLISHED)
        .slug(slug)
        .title(title(index))
        .author("Bench")
        .summary(summary)
        .html(html.toString())
        .text(text)
        .publishAt(publishAt)
        .tags(List.of("bench"))
        .email(true)
        .contentHash(sha256(slug + text))
        .sourceFile(slug + ".md")
        .ingestedAt(publishAt)
        .build();
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 199) + "…";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
