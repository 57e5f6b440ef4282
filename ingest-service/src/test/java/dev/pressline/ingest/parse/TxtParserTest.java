package dev.pressline.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TxtParserTest {

  private final PostParser parser = new PostParser(ZoneOffset.UTC);

  private ParsedPost parse(String text) {
    return parser.parse("post.txt", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void splitsParagraphsOnBlankLinesAndJoinsHardWraps() {
    ParsedPost post = parse("My title\n\nFirst line of a paragraph\nthat goes on here.\n\nSecond paragraph.\n");

    assertThat(post.title()).isEqualTo("My title");
    assertThat(post.html()).isEqualTo("<p>First line of a paragraph that goes on here.</p>\n<p>Second paragraph.</p>\n");
    assertThat(post.text()).isEqualTo("First line of a paragraph that goes on here.\n\nSecond paragraph.\n");
    assertThat(post.summary()).isEqualTo("First line of a paragraph that goes on here.");
  }

  @Test
  void aSummaryKeepsNoControlCharacterOfTheText() {
    // found by HostileParsingTest, shrunk to "e\n\u0001": the summary is a mail preheader and a feed description
    assertThat(parse("Title\n\nfirst\u0001second\u000bthird\u0085fourth\n").summary())
        .isEqualTo("first second third fourth");
  }

  @Test
  void readsAllThreeBulletMarkersAndNumberedItemsWithTheirStart() {
    ParsedPost post = parse("T\n\nIntro:\n• one\n- two\n* three\n\n3. third\n4) fourth\n");

    assertThat(post.html()).contains("<p>Intro:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n<li>three</li>\n</ul>");
    assertThat(post.html()).contains("<ol start=\"3\">\n<li>third</li>\n<li>fourth</li>\n</ol>");
  }

  @Test
  void joinsAWrappedListItem() {
    ParsedPost post = parse("T\n\n• a long item that\n  wraps onto the next line\n• short\n");

    assertThat(post.html()).contains("<li>a long item that wraps onto the next line</li>\n<li>short</li>");
  }

  @Test
  void escapesMarkupWrittenAsText() {
    ParsedPost post = parse("Fish & <chips>\n\nUse <script>alert(1)</script> & \"quotes\".\n");

    assertThat(post.title()).isEqualTo("Fish & <chips>");
    assertThat(post.html()).isEqualTo("<p>Use &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;.</p>\n");
  }

  @Test
  void treatsCrlfAndCrLineEndsTabsAndTrailingSpacesLikeLf() {
    String unix = parse("Title\n\nA line\nwrapped.\n\n• item\n").html();

    assertThat(parse("Title  \r\n\r\nA line \t\r\nwrapped.\r\n\r\n\t• item\r\n").html()).isEqualTo(unix);
    assertThat(parse("Title\r\rA line\rwrapped.\r\r• item\r").html()).isEqualTo(unix);
  }

  @Test
  void makesAShortTitleFromAFirstLineThatIsAWholeParagraph() {
    String first = "This whole first line is really a paragraph that an editor pasted without a title. "
        + "It goes on for a while. And then some more, well past any sensible title length for an email.";
    ParsedPost post = parse(first + "\n\nSecond paragraph.\n");

    assertThat(post.title()).isEqualTo("This whole first line is really a paragraph that an editor pasted without a title");
    assertThat(post.html()).startsWith("<p>" + first + "</p>");
    assertThat(post.warnings()).anyMatch(w -> w.contains("whole paragraph"));
  }

  @Test
  void rejectsAFileWhoseFirstLineIsAListItem() {
    assertThatThrownBy(() -> parse("\n\n• milk\n• eggs\n"))
        .isInstanceOf(RejectedPostException.class)
        .hasMessageContaining("no title")
        .satisfies(e -> assertThat(((RejectedPostException) e).reason()).startsWith("Line 3:"));
  }

  @Test
  void rejectsBlankAndEmptyFiles() {
    assertThatThrownBy(() -> parser.parse("a.txt", new byte[0])).hasMessageContaining("empty");
    assertThatThrownBy(() -> parse(" \n\t\n\u00A0\n")).hasMessageContaining("only blank lines");
  }

  @Test
  void rejectsATitleWithAControlCharacterThatWouldBreakTheMailSubject() {
    assertThatThrownBy(() -> parse("Bad\u001b[31m title\n\nBody.\n"))
        .hasMessageContaining("control character")
        .satisfies(e -> assertThat(((RejectedPostException) e).reason()).startsWith("Line 1:"));
  }

  @Test
  void acceptsMarkdownStyleTitlesInPlainText() {
    assertThat(parse("# Hash title\n\nBody.\n").title()).isEqualTo("Hash title");
    ParsedPost underlined = parse("Underlined title\n================\n\nBody.\n");
    assertThat(underlined.title()).isEqualTo("Underlined title");
    assertThat(underlined.html()).isEqualTo("<p>Body.</p>\n");
  }

  @Test
  void turnsWebAddressesIntoLinks() {
    ParsedPost post = parse("T\n\nListen at https://example.org/ep?id=1&x=2. Or (https://example.org/b).\n");

    assertThat(post.html()).isEqualTo("<p>Listen at <a href=\"https://example.org/ep?id=1&amp;x=2\">"
        + "https://example.org/ep?id=1&amp;x=2</a>. Or (<a href=\"https://example.org/b\">https://example.org/b</a>).</p>\n");
    assertThat(post.text()).contains("https://example.org/ep?id=1&x=2.");
  }

  @Test
  void readsVeryLongMarkerLinesWithoutOverflowingTheStack() {
    ParsedPost post = parse("Title\n\n" + "- ".repeat(20_000) + "deep\n\n" + "- ".repeat(20_000) + "\n");

    assertThat(post.html()).endsWith("<hr>\n");
  }

  @Test
  void keepsASeparatorLineAsARuleNotABullet() {
    ParsedPost post = parse("T\n\nBefore.\n\n* * *\n\nAfter.\n");

    assertThat(post.html()).isEqualTo("<p>Before.</p>\n<hr>\n<p>After.</p>\n");
  }

  @Test
  void doesNotMistakeAnOrdinaryLowercaseStartForACaption() {
    ParsedPost post = parse("iPhone tips for couples\n\nBody.\n");

    assertThat(post.title()).isEqualTo("iPhone tips for couples");
    assertThat(post.warnings()).isEmpty();
  }
}
