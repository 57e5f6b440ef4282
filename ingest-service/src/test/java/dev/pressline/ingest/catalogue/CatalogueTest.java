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
    return new PostEvent(PostEvent.SCHEMA_VERSION, change, slug, revision, "Title", null, null, null, null, AT, null,
        null, null, false, true, null, null, hash, file, AT);
  }

  @Test
  void recognisesIdenticalContentUnderAnyNameAsADuplicate() {
    catalogue.apply(event(PostChange.PUBLISHED, "title", 1, "h1", "a.txt"));

    assertThat(catalogue.identify("h1", "other.txt", null, "Title"))
        .isEqualTo(new Identity.Duplicate(catalogue.bySlug("title").orElseThrow()));
  }

  @Test
  void givesADifferentPostWithATakenTitleTheNextFreeSuffix() {
    catalogue.apply(event(PostChange.PUBLISHED, "title", 1, "h1", "a.txt"));
    catalogue.apply(event(PostChange.PUBLISHED, "title-2", 1, "h2", "b.txt"));

    assertThat(catalogue.identify("h3", "c.txt", null, "Title")).isEqualTo(new Identity.NewPost("title-3"));
  }

  @Test
  void treatsTheSameFileNameOrFrontMatterSlugWithNewContentAsAnUpdate() {
    catalogue.apply(event(PostChange.PUBLISHED, "title", 1, "h1", "a.txt"));

    assertThat(catalogue.identify("h2", "a.txt", null, "Another title")).isInstanceOf(Identity.Update.class);
    assertThat(catalogue.identify("h2", "z.md", "title", "Another title")).isInstanceOf(Identity.Update.class);
    assertThat(catalogue.identify("h2", "z.md", "fresh", "Title")).isEqualTo(new Identity.NewPost("fresh"));
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

    assertThat(catalogue.identify("h1", "a.txt", null, "Title")).isInstanceOf(Identity.Update.class);
    assertThat(catalogue.identify("h1", "new.txt", null, "Title")).isEqualTo(new Identity.NewPost("title-2"));
  }
}
