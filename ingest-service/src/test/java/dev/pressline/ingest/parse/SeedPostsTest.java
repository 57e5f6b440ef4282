package dev.pressline.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The five sample posts from ../shared/seeds, exactly as editors sent them. */
class SeedPostsTest {

  private final PostParser parser = new PostParser(ZoneOffset.UTC);

  static Path seeds() {
    String dir = System.getProperty("pressline.seeds", "../../shared/seeds");
    return Path.of(dir);
  }

  private ParsedPost seed(String prefix) throws IOException {
    try (var files = Files.list(seeds())) {
      Path file = files.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
      return parser.parse(file.getFileName().toString(), Files.readAllBytes(file));
    }
  }

  @Test
  void takesTheFirstLineAsTitleWithTypographicApostropheIntact() throws IOException {
    ParsedPost post = seed("000_");

    assertThat(post.title()).isEqualTo("Relationship Problems: Wanting Your Partner Back When They Don’t Want You");
    assertThat(post.warnings()).isEmpty();
  }

  @Test
  void joinsTheHardWrappedLineInsideASentence() throws IOException {
    ParsedPost post = seed("000_");

    assertThat(post.html()).contains("<p>Honestly, my first reaction to that question is “Really? You want him/her back. Why?”</p>");
    assertThat(post.text()).contains("“Really? You want him/her back. Why?”");
  }

  @Test
  void turnsBulletAndNumberedLinesIntoLists() throws IOException {
    ParsedPost post = seed("000_");

    assertThat(post.html()).contains("<ul>\n<li>Why now?</li>\n<li>Why at all?</li>");
    assertThat(post.html()).contains("<ol>\n<li>In your deepest self, you think everyone is judging you.");
    assertThat(post.text()).contains("• Why now?\n• Why at all?").contains("1. In your deepest self");
  }

  @Test
  void keepsAParagraphThatFollowsASentenceOnTheNextLineApart() throws IOException {
    ParsedPost post = seed("000_");

    assertThat(post.html()).contains("<p>Click here to listen…</p>\n<p>If you are in a relationship");
  }

  @Test
  void keepsEveryTypographicCharacterByteExact() throws IOException {
    ParsedPost post = seed("000_");

    assertThat(post.text()).contains("doesn’t want you–once the initial pain is behind you–is");
    assertThat(post.html()).contains("from 1 – 5 PM Pacific Time");
    assertThat(post.html()).contains("“being wanted”");
  }

  @Test
  void givesTheTwoPostsThatShareATitleDifferentBodies() throws IOException {
    ParsedPost first = seed("000_");
    ParsedPost second = seed("001_");

    assertThat(second.title()).isEqualTo(first.title());
    assertThat(first.html()).contains("Relationship Issues: 3 Ways Perfectionism Can Ruin Your Life");
    assertThat(second.html()).contains("Relationship Issues: Fighting In A Relationship").doesNotContain("Perfectionism");
  }

  @Test
  void turnsDashedQuestionAndAnswerLinesIntoHeadingsNotBullets() throws IOException {
    ParsedPost post = seed("002_");

    assertThat(post.title()).isEqualTo("How can I get him back again?");
    assertThat(post.html()).contains("<h2>Question for John</h2>").contains("<h2>Answer from John</h2>");
    assertThat(post.html()).doesNotContain("<li>- Question");
    assertThat(post.html()).contains("exact OPPOSITE");
    assertThat(post.summary()).startsWith("I am a 24 year old young lady");
  }

  @Test
  void dropsTheImageCaptionGluedToTheFirstWordAndFindsASensibleTitle() throws IOException {
    ParsedPost post = seed("003_");

    assertThat(post.title()).isEqualTo("Getting Him Back If He Did The Breaking Up");
    assertThat(post.html()).startsWith("<p>Relationships are complex.");
    assertThat(post.html()).doesNotContain("couple on sofa").doesNotContain("<h2>Getting Him Back");
    assertThat(post.html()).contains("<h2>What you may have done wrong</h2>").contains("<h2>When you need to let go</h2>");
    assertThat(post.summary()).startsWith("Relationships are complex.").hasSizeLessThanOrEqualTo(200);
    assertThat(post.warnings()).anyMatch(w -> w.contains("image caption")).anyMatch(w -> w.contains("whole paragraph"));
  }

  @Test
  void leavesOutThePageFurnitureAtTheEndAndKeepsTheAuthor() throws IOException {
    ParsedPost post = seed("004_");

    assertThat(post.title()).isEqualTo("I’m changing for the better, so why isn’t she coming back to me!?");
    assertThat(post.html())
        .doesNotContain("Share this article")
        .doesNotContain("Show comments")
        .doesNotContain("verified professionals")
        .doesNotContain("Romford");
    assertThat(post.html()).contains("through a mixture of therapy and coaching sessions");
    assertThat(post.html()).contains("<ol>\n<li>She no longer feels considered or cared for by her partner.</li>");
    assertThat(post.meta().author()).isEqualTo("Adam Day");
    assertThat(post.summary()).isEqualTo("One of the most common calls I get from a prospective male client is a panicky ‘how do I get her back!?’");
  }

  @Test
  void givesEverySeedASingleLineTitleOfSensibleLengthAndNonEmptyBody() throws IOException {
    try (var files = Files.list(seeds())) {
      for (Path file : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
        ParsedPost post = parser.parse(file.getFileName().toString(), Files.readAllBytes(file));
        assertThat(post.title()).as(file.toString()).doesNotContain("\n").hasSizeBetween(10, 100);
        assertThat(post.text()).as(file.toString()).hasSizeGreaterThan(2000);
        assertThat(post.summary()).as(file.toString()).isNotBlank().hasSizeLessThanOrEqualTo(200);
        assertThat(Slugs.isValid(Slugs.fromTitle(post.title()))).isTrue();
      }
    }
  }

  @Test
  void derivesTheSameSlugForTheTwoPostsThatShareATitle() throws IOException {
    assertThat(Slugs.fromTitle(seed("000_").title()))
        .isEqualTo(Slugs.fromTitle(seed("001_").title()))
        .isEqualTo("relationship-problems-wanting-your-partner-back-when-they-dont-want-you");
  }
}
