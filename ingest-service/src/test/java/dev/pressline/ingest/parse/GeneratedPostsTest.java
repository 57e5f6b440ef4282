package dev.pressline.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of generated plain-text posts in every encoding and line-end style editors' tools save:
 * each keeps its title, every word of its body in order, and its typographic characters byte-exact.
 */
class GeneratedPostsTest {

  private static final String[] WORDS = {
    "love", "Don’t", "“really”", "–", "…", "café", "naïve", "it’s", "A&B", "a<b", "partner", "Why?", "50%",
    "self-esteem", "him/her", "‘fix’", "OPPOSITE", "—", "co-parenting", "trust", "(problem)", "e.g."
  };
  private static final String[] ENCODINGS = {"UTF-8", "UTF-8 BOM", "UTF-16LE BOM", "UTF-16BE BOM", "windows-1252"};
  private static final String[] LINE_ENDS = {"\n", "\r\n", "\r"};

  private final PostParser parser = new PostParser(ZoneOffset.UTC);

  @Test
  void keepsTitleWordsAndTypographicCharactersOfGeneratedPostsInEveryEncoding() {
    Random random = new Random(20261122);
    for (int i = 0; i < 400; i++) {
      String title = capitalise(words(random, 3 + random.nextInt(6))).replaceAll("[.?…]+$", "").strip();
      List<String> body = new ArrayList<>();
      StringBuilder text = new StringBuilder(title).append('\n').append('\n');
      int blocks = 1 + random.nextInt(6);
      for (int b = 0; b < blocks; b++) {
        switch (random.nextInt(3)) {
          case 0 -> {
            int lines = 1 + random.nextInt(3);
            for (int l = 0; l < lines; l++) {
              String line = words(random, 4 + random.nextInt(10));
              body.add(line);
              text.append(line).append(random.nextBoolean() ? "  " : "").append('\n');
            }
          }
          case 1 -> {
            String marker = new String[] {"•", "-", "*"}[random.nextInt(3)];
            for (int l = 0; l < 2 + random.nextInt(3); l++) {
              String item = words(random, 2 + random.nextInt(6));
              body.add(item);
              text.append(random.nextBoolean() ? "  " : "").append(marker).append(' ').append(item).append('\n');
            }
          }
          default -> {
            int start = 1 + random.nextInt(3);
            for (int l = 0; l < 2 + random.nextInt(3); l++) {
              String item = words(random, 2 + random.nextInt(6));
              body.add(item);
              text.append(start + l).append(". ").append(item).append('\n');
            }
          }
        }
        text.append('\n');
      }
      String lineEnd = LINE_ENDS[random.nextInt(LINE_ENDS.length)];
      String encoding = ENCODINGS[random.nextInt(ENCODINGS.length)];
      byte[] bytes = encode(text.toString().replace("\n", lineEnd), encoding);

      ParsedPost post = parser.parse("generated-" + i + ".txt", bytes);

      String what = "post " + i + " (" + encoding + ", " + lineEnd.replace("\r", "CR").replace("\n", "LF") + "):\n" + text;
      assertThat(post.title()).as(what).isEqualTo(title);
      assertThat(tokens(post.text())).as(what).isEqualTo(tokens(String.join(" ", body)));
      assertThat(post.warnings()).as(what).allMatch(w -> w.startsWith("The file was read as"));
      assertThat(post.html()).as(what).doesNotContain("a<b").doesNotContain("A&B");
    }
  }

  private static String words(Random random, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        s.append(' ');
      }
      s.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return s.toString();
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** The words of a text without list markers, as the reader sees them. */
  private static List<String> tokens(String text) {
    return Arrays.stream(text.split("\\s+"))
        .filter(t -> !t.isEmpty() && !t.matches("[•*-]|\\d+[.)]"))
        .toList();
  }

  private static byte[] encode(String text, String encoding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (encoding) {
      case "UTF-8" -> out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
      case "UTF-8 BOM" -> {
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
      }
      case "UTF-16LE BOM" -> {
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE});
        out.writeBytes(text.getBytes(StandardCharsets.UTF_16LE));
      }
      case "UTF-16BE BOM" -> {
        out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF});
        out.writeBytes(text.getBytes(StandardCharsets.UTF_16BE));
      }
      default -> out.writeBytes(text.getBytes(Charset.forName("windows-1252")));
    }
    return out.toByteArray();
  }
}
