package dev.pressline.ingest.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CatalogueTest {

  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");
  private final Catalogue catalogue = new Catalogue();

  private static PostEvent event(PostChange change, String slug, int revision, String hash, String file) {
    return PostEvent.builder()
        .change(change)
        .slug(slug)
        .revision(revision)
        .title("Title")
        .publishAt(AT)
        .email(true)
        .contentHash(hash)
        .sourceFile(file)
        .ingestedAt(AT)
        .build();
  }

  @Test
  void recognisesIdenticalContentUnderAnyNameAsADuplicate() {
    catalogue.apply(event(PostChange.PUBLISHED, "title", 1, "h1", "a.txt"));

    assertThat(catalogue.identify("h1", "other.txt", null, "Title", null))
        .isEqualTo(new Identity.Duplicate(catalogue.bySlug("title").orElseThrow()));
  }

  @Test
  void givesADifferentPostWithATakenTitleTheNextFreeSuffix() {
    catalogue.apply(event(PostChange.PUBLISHED, "title", 1, "h1", "a.txt"));
    catalogue.apply(event(PostChange.PUBLISHED, "title-2", 1, "h2", "b.txt"));

    assertThat(catalogue.identify("h3", "c.txt", null, "Title", null)).isEqualTo(new Identity.NewPost("title-3", null));
  }

  @Test
  void treatsTheSameFileNameOrFrontMatterSlugWithNewContentAsAnUpdate() {
    catalogue.apply(event(PostChange.PUBLISHED, "title", 1, "h1", "a.txt"));

    assertThat(catalogue.identify("h2", "a.txt", null, "Another title", null)).isInstanceOf(Identity.Update.class);
    assertThat(catalogue.identify("h2", "z.md", "title", "Another title", null)).isInstanceOf(Identity.Update.class);
    assertThat(catalogue.identify("h2", "z.md", "fresh", "Title", null)).isEqualTo(new Identity.NewPost("fresh", null));
  }

  @Test
  void keepsTheLatestRevisionWhatEverOrderEventsArriveIn() {
    catalogue.apply(event(PostChange.UPDATED, "title", 2, "h2", "a.txt"));
    catalogue.apply(event(PostChange.PUBLISHED, "title", 1, "h1", "a.txt"));

    assertThat(catalogue.bySlug("title").orElseThrow().revision()).isEqualTo(2);
    assertThat(catalogue.withContent("h1")).isEmpty();
    assertThat(catalogue.withContent("h2")).isPresent();
  }

  @Test
  void keepsARetractedSlugTakenButItsContentIsNoLongerADuplicate() {
    catalogue.apply(event(PostChange.PUBLISHED, "title", 1, "h1", "a.txt"));
    catalogue.apply(event(PostChange.RETRACTED, "title", 2, "marker", "a.txt"));

    assertThat(catalogue.identify("h1", "a.txt", null, "Title", null)).isInstanceOf(Identity.Update.class);
    assertThat(catalogue.identify("h1", "new.txt", null, "Title", null)).isEqualTo(new Identity.NewPost("title-2", null));
  }

  private static final String WEEK_ONE = "This week the orchard opened its gates for the first apple picking of the "
      + "season. Volunteers brought ladders and baskets, the bakery sold cider cake, and the children's choir sang "
      + "at noon. Next Saturday we press the last pears.";
  private static final String WEEK_TWO = "The council met on Tuesday to decide the bus timetable for the winter. "
      + "Three routes change from December, the night bus stays, and a new stop opens by the library. Bring your "
      + "questions to the market hall on Friday evening.";

  private static PostEvent weekly(String slug, String title, String text) {
    return PostEvent.builder()
        .change(PostChange.PUBLISHED)
        .slug(slug)
        .title(title)
        .text(text)
        .publishAt(AT)
        .email(true)
        .contentHash("h-" + slug)
        .sourceFile("weekly.md")
        .ingestedAt(AT)
        .build();
  }

  @Test
  void aReusedFileNameWithADifferentTextIsANewPostAndSaysWhy() {
    catalogue.apply(weekly("weekly-news", "Weekly news", WEEK_ONE));

    Identity identity = catalogue.identify("h2", "weekly.md", null, "Weekly news", WEEK_TWO);

    assertThat(identity).isInstanceOf(Identity.NewPost.class);
    Identity.NewPost post = (Identity.NewPost) identity;
    assertThat(post.slug()).isEqualTo("weekly-news-2");
    assertThat(post.why()).contains("was used before for ‘weekly-news’", "slug: weekly-news");
  }

  @Test
  void theSameFileNameWithMostlyTheSameTextIsAnUpdateAndSaysWhy() {
    catalogue.apply(weekly("weekly-news", "Weekly nwes", WEEK_ONE));
    String corrected = WEEK_ONE.replace("last pears", "last pears and plums") + " Thanks to everyone who helped.";

    Identity identity = catalogue.identify("h2", "weekly.md", null, "Weekly news", corrected);

    assertThat(identity).isInstanceOf(Identity.Update.class);
    assertThat(((Identity.Update) identity).previous().slug()).isEqualTo("weekly-news");
    assertThat(((Identity.Update) identity).why()).contains("mostly the same text", "slug of its own");
  }

  @Test
  void aFrontMatterSlugDecidesWhateverTheText() {
    catalogue.apply(weekly("weekly-news", "Weekly news", WEEK_ONE));

    assertThat(catalogue.identify("h2", "weekly.md", "weekly-news", "Weekly news", WEEK_TWO))
        .isInstanceOf(Identity.Update.class);
    assertThat(catalogue.identify("h2", "weekly.md", "harvest", "Weekly news", WEEK_ONE))
        .isEqualTo(new Identity.NewPost("harvest", null));
  }

  @Test
  void sketchesTellAlikeTextsFromDifferentOnes() {
    assertThat(TextSketch.of(WEEK_ONE).similarity(TextSketch.of(WEEK_ONE))).isEqualTo(1.0);
    assertThat(TextSketch.of(WEEK_ONE).similarity(TextSketch.of(WEEK_ONE + " One more line at the end.")))
        .isGreaterThan(Catalogue.SAME_POST_SIMILARITY);
    assertThat(TextSketch.of(WEEK_ONE).similarity(TextSketch.of(WEEK_TWO))).isLessThan(Catalogue.SAME_POST_SIMILARITY);
    assertThat(TextSketch.of("").similarity(TextSketch.of(""))).isEqualTo(1.0);
  }
}
