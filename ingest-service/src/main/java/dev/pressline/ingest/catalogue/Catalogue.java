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
   */
  public record Entry(
      String slug, int revision, PostChange change, String title, String contentHash, String sourceFile,
      Instant publishAt) {
    public boolean retracted() {
      return change == PostChange.RETRACTED;
    }
  }

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
    Entry entry =
        new Entry(event.slug(), event.revision(), event.change(), event.title(), event.contentHash(), event.sourceFile(),
            event.publishAt());
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
   * front-matter slug, or else the same file name, is an update; anything else is a new post, whose
   * slug gets {@code -2}, {@code -3}… when its title's slug is taken by a different post.
   *
   * @param requestedSlug the front-matter slug, or null
   */
  public synchronized Identity identify(String contentHash, String fileName, String requestedSlug, String title) {
    Optional<Entry> same = withContent(contentHash);
    if (same.isPresent()) {
      return new Identity.Duplicate(same.get());
    }
    Optional<Entry> previous = requestedSlug != null ? bySlug(requestedSlug) : fromSource(fileName);
    if (previous.isPresent()) {
      return new Identity.Update(previous.get());
    }
    return new Identity.NewPost(requestedSlug != null ? requestedSlug : freeSlug(Slugs.fromTitle(title)));
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
