package dev.pressline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pressline.ingest.parse.ParsedPost;
import dev.pressline.ingest.parse.PostParser;
import dev.pressline.ingest.parse.RejectedPostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.Size;

/**
 * The hostile-input rule as jqwik properties: every file is rejected with a reason an editor can
 * read, or becomes a post with a one-line title, an inert body and a one-line summary. Unlike the
 * seeded generator in {@link HostileFiles}, jqwik shrinks a failing file to a small one before it
 * reports it, and prints the seed that repeats the run ({@code @Property(seed = "…")}).
 */
class HostilePostProperties {

  /** What turns plain prose into an attack or a parser's corner case. */
  private static final List<String> PAYLOADS = List.of(
      "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:alert(1)\">x</a>",
      "<a href=\"JaVaScRiPt&#58;alert(1)\">x</a>", "<iframe src=//attacker.example>", "<svg onload=alert(1)>",
      "<math><mi xlink:href=javascript:alert(1)>", "[x](javascript:alert(1))", "![x](javascript:alert(1))",
      "<style>*{}</style>", "<form action=//attacker.example>", "]]>", "<!--", "-->", "<![CDATA[",
      "\r\nBcc: victim@example.org", "\r", "\n", "\r\n", "\t", "\u0000", "\u001b[31m", "\u2028", "\u202e",
      "\ufeff", "\ud83d\ude00", "\ud800", "&#0;", "&lt;", "&", "---", "***", "> ", "- ", "1. ", "# ", "    ",
      "```", "`", "*", "_", "[", "]", "(", ")", "|", "\\", "{{ 7*7 }}", "{% raw %}", "%s%n", "../", "..\\");

  /** Values front matter is hard to read with: YAML tags, anchors, flow syntax, odd scalars. */
  private static final List<String> YAML_VALUES = List.of(
      "plain", "\"quoted\"", "'single'", "[a, b]", "{a: b}", "[unclosed", "{unclosed", "&anchor x", "*alias",
      "!!javax.script.ScriptEngineManager []", "!!binary AAAA", "|", ">", "~", "null", "yes", "0x1F", "1e400",
      "99999999999999999999", "2026-13-45", "2026-11-22T25:61:00Z", "\"\\u0000\"", "\"a\\r\\nBcc: x@y\"",
      "../../etc/passwd", "/etc/passwd", "C:\\\\Windows\\\\win.ini", "\"<script>alert(1)</script>\"");

  private static final List<String> KEYS = List.of("title", "slug", "author", "date", "summary", "tags", "audio",
      "image", "explicit", "email", "episode", "season", "retracted", "resend", "unknown", "title");

  private final PostParser parser = new PostParser(ZoneOffset.UTC);

  @Property
  void anyBytesUnderAnyNameAreRejectedWithAReasonOrParsedSafely(@ForAll("names") String name,
      @ForAll @Size(max = 2_000) byte[] bytes) {
    assertRejectedWithAReasonOrSafe(name, bytes);
  }

  @Property
  void proseFullOfMarkupAndControlsIsRejectedWithAReasonOrParsedSafely(@ForAll("names") String name,
      @ForAll("hostileText") String text, @ForAll("charsets") Charset charset) {
    assertRejectedWithAReasonOrSafe(name, text.getBytes(charset));
  }

  @Property
  void markdownWithHostileFrontMatterIsRejectedWithAReasonOrParsedSafely(
      @ForAll("frontMatter") Map<String, String> fields, @ForAll("hostileText") String body,
      @ForAll boolean closed) {
    String yaml = fields.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining("\n", "---\n", closed ? "\n---\n" : "\n"));
    assertRejectedWithAReasonOrSafe("post.md", (yaml + body).getBytes(StandardCharsets.UTF_8));
  }

  @Property
  void wellFormedFrontMatterWithHostileValuesIsRejectedWithAReasonOrParsedSafely(
      @ForAll("oneLineMarkup") String title, @ForAll("oneLineMarkup") String author, @ForAll("hostileText") String summary,
      @ForAll("hostileText") String slug, @ForAll("tags") List<String> tags,
      @ForAll("hostileText") String body, @ForAll boolean withSlug) {
    // valid YAML whatever the values hold, so the values themselves reach the parser's checks
    String yaml = "---\ntitle: " + quoted(title) + "\nauthor: " + quoted(author) + "\nsummary: " + quoted(summary)
        + (withSlug ? "\nslug: " + quoted(slug) : "") + "\ntags: [" + tags.stream().map(HostilePostProperties::quoted)
        .collect(Collectors.joining(", ")) + "]\n---\n";
    assertRejectedWithAReasonOrSafe("post.md", (yaml + body).getBytes(StandardCharsets.UTF_8));
  }

  /** A YAML double-quoted scalar holding exactly {@code value}, control characters escaped. */
  private static String quoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    value.chars().forEach(c -> {
      if (c == '"' || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.append((char) c);
      }
    });
    return out.append('"').toString();
  }

  private void assertRejectedWithAReasonOrSafe(String name, byte[] bytes) {
    ParsedPost post;
    try {
      post = parser.parse(name, bytes);
    } catch (RejectedPostException e) {
      assertThat(e.reason()).as("the reason given to the editor").isNotBlank();
      Statistics.collect("rejected with a reason");
      return;
    } catch (StackOverflowError e) {
      // an Error would end the whole property run instead of being shrunk like a failure
      fail("the parser overflowed its stack");
      return;
    }
    SafeOutput.assertSafeTitle(post.title());
    SafeOutput.assertInertHtml(post.html());
    assertThat(post.summary().chars().filter(c -> c == '\r' || c == '\n')).as("line breaks in the summary").isEmpty();
    Statistics.collect("parsed safely");
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> stem = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30);
    Arbitrary<String> extension = Arbitraries.of(".txt", ".md", ".TXT", ".Md", ".markdown", ".txt.md");
    return Combinators.combine(stem, extension).as(String::concat);
  }

  @Provide
  Arbitrary<String> hostileText() {
    Arbitrary<String> words = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20);
    return Arbitraries.oneOf(Arbitraries.of(PAYLOADS), words).list().ofMaxSize(40).map(parts -> String.join("", parts));
  }

  /** Markup and injection on one line without control characters: what a title may hold and still pass. */
  @Provide
  Arbitrary<String> oneLineMarkup() {
    Arbitrary<String> printable = Arbitraries.of(PAYLOADS.stream()
        .filter(p -> p.chars().noneMatch(c -> Character.isISOControl(c) || c >= 0x2028 && c <= 0x202e || c == 0xfeff))
        .toList());
    Arbitrary<String> words = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20);
    return Arbitraries.oneOf(printable, words).list().ofMaxSize(12).map(parts -> "Post " + String.join("", parts));
  }

  @Provide
  Arbitrary<List<String>> tags() {
    return hostileText().list().ofMaxSize(5);
  }

  @Provide
  Arbitrary<Charset> charsets() {
    return Arbitraries.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16, StandardCharsets.UTF_16LE,
        StandardCharsets.UTF_16BE, StandardCharsets.ISO_8859_1, Charset.forName("windows-1252"));
  }

  @Provide
  Arbitrary<Map<String, String>> frontMatter() {
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.strings().all().ofMaxLength(12));
    Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(YAML_VALUES), Arbitraries.of(PAYLOADS),
        Arbitraries.strings().all().ofMaxLength(40));
    return Arbitraries.maps(key, value).ofMaxSize(12);
  }
}
