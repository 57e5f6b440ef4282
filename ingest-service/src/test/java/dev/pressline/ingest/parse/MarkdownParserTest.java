package dev.pressline.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class MarkdownParserTest {

  private final PostParser parser = new PostParser(ZoneId.of("Europe/Berlin"));

  private ParsedPost parse(String text) {
    return parser.parse("post.md", text.getBytes(StandardCharsets.UTF_8));
  }

  private RejectedPostException rejected(String text) {
    try {
      parse(text);
    } catch (RejectedPostException e) {
      return e;
    }
    throw new AssertionError("not rejected: " + text);
  }

  @Test
  void readsEveryFrontMatterField() {
    ParsedPost post = parse("""
        ---
        title: "Episode 12: Don’t panic"
        slug: episode-12
        author: Ada Lovelace
        date: 2030-01-02T09:30:00+01:00
        summary: A short one.
        tags: [advice, podcast]
        audio: ep12.mp3
        image: cover.jpg
        explicit: false
        email: no
        episode: 12
        season: 2
        ---
        Hello **world**.
        """);

    assertThat(post.title()).isEqualTo("Episode 12: Don’t panic");
    PostMeta m = post.meta();
    assertThat(m.slug()).isEqualTo("episode-12");
    assertThat(m.author()).isEqualTo("Ada Lovelace");
    assertThat(m.publishAt()).isEqualTo(Instant.parse("2030-01-02T08:30:00Z"));
    assertThat(m.summary()).isEqualTo("A short one.");
    assertThat(m.tags()).containsExactly("advice", "podcast");
    assertThat(m.audio()).isEqualTo("ep12.mp3");
    assertThat(m.image()).isEqualTo("cover.jpg");
    assertThat(m.explicit()).isFalse();
    assertThat(m.email()).isFalse();
    assertThat(m.episode()).isEqualTo(12);
    assertThat(m.season()).isEqualTo(2);
    assertThat(post.html()).isEqualTo("<p>Hello <strong>world</strong>.</p>\n");
    assertThat(post.text()).isEqualTo("Hello world.\n");
    assertThat(post.warnings()).isEmpty();
  }

  @Test
  void readsADateWithoutTimeInTheConfiguredZone() {
    assertThat(parse("---\ntitle: T\ndate: 2030-06-01\n---\nBody\n").meta().publishAt())
        .isEqualTo(Instant.parse("2030-05-31T22:00:00Z"));
  }

  @Test
  void takesTheTitleFromAFirstHeadingWithoutFrontMatter() {
    ParsedPost post = parse("# A “quoted” title\n\nFirst paragraph with *emphasis*.\n\n- a\n- b\n\nIt’s “fine” – really…\n");

    assertThat(post.title()).isEqualTo("A “quoted” title");
    assertThat(post.html()).doesNotContain("<h1>").contains("<li>a</li>").contains("It’s “fine” – really…");
    assertThat(post.summary()).isEqualTo("First paragraph with emphasis.");
  }

  @Test
  void warnsAboutUnknownFieldsWithTheirLine() {
    ParsedPost post = parse("---\ntitle: T\ncolour: blue\n---\nBody\n");

    assertThat(post.warnings()).singleElement().asString().startsWith("Line 3:").contains("‘colour’");
  }

  @Test
  void sanitisesRawHtml() {
    ParsedPost post = parse("""
        # T

        <p onclick="steal()">Hi <a href="javascript:alert(1)">x</a> <a href="https://example.org">ok</a></p>
        <script>alert(1)</script><iframe src="https://evil.example"></iframe>
        """);

    assertThat(post.html())
        .doesNotContain("script").doesNotContain("onclick").doesNotContain("javascript:").doesNotContain("iframe")
        .contains("href=\"https://example.org\"");
    assertThat(post.warnings()).anyMatch(w -> w.contains("HTML was removed"));
  }

  @Test
  void dropsUnsafeAddressesFromMarkdownLinksAndImagesWithoutRawHtml() {
    ParsedPost post = parse("# T\n\n[click](javascript:alert(1)) ![x](vbscript:run) [ok](https://example.org)\n");

    assertThat(post.html()).doesNotContain("javascript:").doesNotContain("vbscript:")
        .contains("<a rel=\"noopener\" href=\"https://example.org\">ok</a>");
  }

  @Test
  void aCodeFenceKeepsOnlyAPlainLanguageAsItsClass() {
    assertThat(parse("# T\n\n```java\nint x;\n```\n").html()).contains("<code class=\"language-java\">");
    // found by HostilePostProperties: the info string went into the class as it was
    String html = parse("# T\n\n```x<script>[y](javascript:alert(1))\ncode\n```\n").html();
    assertThat(html).contains("<code>code").doesNotContain("class=").doesNotContain("javascript");
  }

  @Test
  void aSummaryInFrontMatterBecomesOneLine() {
    // found by HostilePostProperties: a carriage return (or any control character) stayed in it
    String yaml = "---\ntitle: T\nsummary: \"first\\r\\nsecond\\rthird\\tand\\u0085fourth\\u2028fifth\\u0007end\"\n---\nBody\n";
    assertThat(parse(yaml).summary()).isEqualTo("first second third and fourth fifth end");
    assertThat(parse("---\ntitle: T\nsummary: |\n  line one\n  line two\n---\nBody\n").summary())
        .isEqualTo("line one line two");
  }

  @Test
  void rejectsMalformedFrontMatterWithTheLineNumber() {
    assertThat(rejected("---\ntitle: T\ntags: [a, b\n---\nBody\n").reason()).startsWith("Line ").contains("not valid YAML");
    assertThat(rejected("---\ntitle: T\nBody without end\n").reason()).contains("never closed");
  }

  @Test
  void rejectsWrongFieldTypesWithTheLineNumber() {
    assertThat(rejected("---\ntitle: T\nepisode: twelve\n---\nB\n").reason()).isEqualTo(
        "Line 3: ‘episode’ must be a whole number from 0 to 100000, such as 12; it is ‘twelve’.");
    assertThat(rejected("---\ntitle: T\nexplicit: maybe\n---\nB\n").reason()).startsWith("Line 3:").contains("true or false");
    assertThat(rejected("---\ntitle: T\n\ndate: next tuesday\n---\nB\n").reason()).startsWith("Line 4:").contains("not a date");
    assertThat(rejected("---\ntitle: [a, b]\n---\nB\n").reason()).startsWith("Line 2:");
  }

  @Test
  void rejectsTitlesThatWouldBreakAMailHeader() {
    assertThat(rejected("---\ntitle: |\n  two\n  lines\n---\nB\n").reason()).contains("one line");
    assertThat(rejected("---\ntitle: \"bell\\a\"\n---\nB\n").reason()).contains("control character");
  }

  @Test
  void rejectsSlugsAndFileNamesThatCouldLeaveTheirFolder() {
    assertThat(rejected("---\ntitle: T\nslug: ../../etc\n---\nB\n").reason()).startsWith("Line 3:").contains("slug");
    assertThat(rejected("---\ntitle: T\naudio: ../secret.mp3\n---\nB\n").reason()).contains("without folders");
    assertThat(rejected("---\ntitle: T\nimage: /etc/passwd\n---\nB\n").reason()).contains("without folders");
  }

  @Test
  void rejectsNestingSoDeepItWouldOverflowTheParserInsteadOfFailing() {
    assertThat(rejected("# Nested\n\n" + "- ".repeat(20_000) + "deep\n").reason()).contains("nested too deeply");
    assertThat(rejected("# Quotes\n\n" + ">".repeat(50_000) + " deep\n").reason()).contains("nested too deeply");
  }

  @Test
  void rejectsAPostWithoutAnyTitle() {
    assertThat(rejected("---\nauthor: A\n---\n\n- just\n- a list\n").reason()).contains("no title");
  }
}
