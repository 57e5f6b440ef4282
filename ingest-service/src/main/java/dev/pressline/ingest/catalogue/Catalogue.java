package dev.pressline.ingest.catalogue;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.ingest.parse.Slugs;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What ingest-service remembers about published posts: per slug the latest revision, content hash and
 * source file. It is rebuilt from the {@code posts} topic at start and kept current as events are
 * acknowledged, so a new machine with an empty disk decides exactly as the old one did.
 * Safe for the follower thread and the inbox thread to use at once.
 */
public final class Catalogue {

  /**
   * The latest state of one slug.
   *
   * @param slug the post's slug
   * @param revision the latest revision
   * @param change what the latest event did
   * @param title the latest title
   * @param contentHash the latest content hash
   * @param sourceFile the file the latest event came from
   * @param publishAt the latest publish time; an update without a date of its own keeps it
   * @param sketch a fingerprint of its latest text, or null where the events carried none
   */
  public record Entry(
      String slug, int revision, PostChange change, String title, String contentHash, String sourceFile,
      Instant publishAt, TextSketch sketch) {
    public boolean retracted() {
      return change == PostChange.RETRACTED;
    }
  }

  /**
   * How alike a post's text must be to the post last published from the same file name for it to be
   * an update of that post; below it, a reused name carries a new post. A corrected typo, a changed
   * title or an added paragraph stay far above; a different week's newsletter falls far below.
   */
  public static final double SAME_POST_SIMILARITY = 0.5;
  /**
   * Fewest words both texts must have for their likeness to decide: two short notes ("First
   * version." and "Second version.") share few word pairs however alike they are, so a reused name
   * with a short text stays an update of its post, as before.
   */
  public static final int FEWEST_WORDS_TO_COMPARE = 20;

  private final Map<String, Entry> bySlug = new HashMap<>();
  private final Map<String, String> slugByHash = new HashMap<>();
  private final Map<String, String> slugBySource = new HashMap<>();

  /** Takes in an event from the topic or just acknowledged; older revisions than known are ignored. */
  public synchronized void apply(PostEvent event) {
    requireNonNull(event, "event");
    Entry old = bySlug.get(event.slug());
    if (old != null && old.revision() >= event.revision()) {
      return;
    }
    if (old != null) {
      slugByHash.remove(old.contentHash(), old.slug());
    }
    // a retraction carries no text: the post keeps the fingerprint of its last content
    TextSketch sketch = event.text() != null ? TextSketch.of(event.text()) : old != null ? old.sketch() : null;
    Entry entry =
        new Entry(event.slug(), event.revision(), event.change(), event.title(), event.contentHash(), event.sourceFile(),
            event.publishAt(), sketch);
    bySlug.put(event.slug(), entry);
    if (event.change() != PostChange.RETRACTED && event.contentHash() != null) {
      slugByHash.put(event.contentHash(), event.slug());
    }
    if (event.sourceFile() != null && !event.sourceFile().isEmpty()) {
      slugBySource.put(event.sourceFile(), event.slug());
    }
  }

  /** A tombstone on the topic: the slug is gone altogether. */
  public synchronized void forget(String slug) {
    Entry old = bySlug.remove(slug);
    if (old != null) {
      slugByHash.remove(old.contentHash(), slug);
      slugBySource.values().removeIf(slug::equals);
    }
  }

  /**
   * Decides what a dropped post is. Identical content under any name is a duplicate; the same
   * front-matter slug is an update; the same file name is an update when the text is mostly the same
   * ({@link #SAME_POST_SIMILARITY}) and a new post when it is not, since editors reuse names like
   * {@code weekly.md}; anything else is a new post, whose slug gets {@code -2}, {@code -3}… when its
   * title's slug is taken by a different post.
   *
   * @param requestedSlug the front-matter slug, or null
   * @param text the post's plain text, to compare with the post last published from the same file
   */
  public synchronized Identity identify(
      String contentHash, String fileName, String requestedSlug, String title, String text) {
    Optional<Entry> same = withContent(contentHash);
    if (same.isPresent()) {
      return new Identity.Duplicate(same.get());
    }
    if (requestedSlug != null) {
      return bySlug(requestedSlug)
          .<Identity>map(p -> new Identity.Update(p, "its front-matter slug ‘" + requestedSlug + "’ is that of a "
              + "published post."))
          .orElseGet(() -> new Identity.NewPost(requestedSlug, null));
    }
    Optional<Entry> byName = fromSource(fileName);
    String newSlug = freeSlug(Slugs.fromTitle(title));
    if (byName.isEmpty()) {
      return new Identity.NewPost(newSlug, null);
    }
    Entry previous = byName.get();
    if (previous.sketch() == null || text == null) {
      return new Identity.Update(previous, "a post was published from a file of the same name (" + fileName + ").");
    }
    TextSketch sketch = TextSketch.of(text);
    if (sketch.words() < FEWEST_WORDS_TO_COMPARE || previous.sketch().words() < FEWEST_WORDS_TO_COMPARE) {
      return new Identity.Update(previous, "it has the file name of ‘" + previous.slug() + "’ (" + fileName
          + "), and the text is too short to tell a different post from a corrected one. To publish a different "
          + "post under a used file name, give it a slug of its own in the front matter (slug: …).");
    }
    double similarity = sketch.similarity(previous.sketch());
    String alike = Math.round(similarity * 100) + "% alike";
    if (similarity >= SAME_POST_SIMILARITY) {
      return new Identity.Update(previous, "it has the file name of ‘" + previous.slug() + "’ (" + fileName
          + ") and mostly the same text (" + alike + "). To publish a different post under a used file name, "
          + "give it a slug of its own in the front matter (slug: …).");
    }
    return new Identity.NewPost(newSlug, "the file name " + fileName + " was used before for ‘" + previous.slug()
        + "’, but the text is a different one (" + alike + "), so this is a new post and ‘" + previous.slug()
        + "’ stays as it is. To update ‘" + previous.slug() + "’ instead, put ‘slug: " + previous.slug()
        + "’ in the front matter and drop the file again.");
  }

  /** The live post whose current content has this hash, if any. */
  public synchronized Optional<Entry> withContent(String contentHash) {
    return Optional.ofNullable(slugByHash.get(contentHash)).map(bySlug::get);
  }

  /** The post last published from a file of this name, if any. */
  public synchronized Optional<Entry> fromSource(String fileName) {
    return Optional.ofNullable(slugBySource.get(fileName)).map(bySlug::get);
  }

  public synchronized Optional<Entry> bySlug(String slug) {
    return Optional.ofNullable(bySlug.get(slug));
  }

  /** {@code base} if no post has it, else the first free {@code base-2}, {@code base-3}… */
  public synchronized String freeSlug(String base) {
    if (!bySlug.containsKey(base)) {
      return base;
    }
    for (int n = 2; ; n++) {
      String candidate = base + "-" + n;
      if (!bySlug.containsKey(candidate)) {
        return candidate;
      }
    }
  }

  public synchronized int size() {
    return bySlug.size();
  }
}
