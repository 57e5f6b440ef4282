package dev.pressline.feed.catalog;

import dev.pressline.events.MediaRef;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.feed.media.MediaName;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The latest event per slug, as the compacted posts topic holds it. Written by the topic's follower
 * thread, read by the thread that rebuilds the site; every method is synchronised because both run
 * at once and the map is small next to the cost of building a feed.
 */
public final class Catalog {

  /** Newest first; ties broken by slug so the order never depends on map iteration. */
  private static final Comparator<PostEvent> NEWEST_FIRST =
      Comparator.comparing(PostEvent::publishAt).reversed().thenComparing(PostEvent::slug);

  private final Map<String, PostEvent> latest = new HashMap<>();

  /** Applies one record of the posts topic; a null value (tombstone) forgets the slug. */
  public synchronized void apply(String slug, PostEvent event) {
    if (event == null) {
      latest.remove(slug);
    } else {
      latest.put(slug, event);
    }
  }

  /** Posts a reader may see at {@code now}, newest first. */
  public synchronized List<PostEvent> visibleAt(Instant now) {
    return latest.values().stream().filter(p -> p.isVisibleAt(now)).sorted(NEWEST_FIRST).toList();
  }

  /** The earliest publish time after {@code now} among scheduled posts, if any. */
  public synchronized Optional<Instant> nextScheduledAfter(Instant now) {
    return latest.values().stream()
        .filter(p -> p.change() != PostChange.RETRACTED && p.publishAt().isAfter(now))
        .map(PostEvent::publishAt)
        .min(Comparator.naturalOrder());
  }

  /**
   * When what a reader sees last changed, derived from the events themselves so a restarted service
   * reports the same time: the latest publication, update or retraction that has taken effect,
   * among the posts {@code which} selects (the podcast feed looks only at episodes).
   */
  public synchronized Optional<Instant> lastChangeAt(Instant now, Predicate<PostEvent> which) {
    return latest.values().stream()
        .filter(which)
        .filter(p -> !p.publishAt().isAfter(now) || p.change() == PostChange.RETRACTED)
        .map(p -> effectiveAt(p, now))
        .max(Comparator.naturalOrder());
  }

  private static Instant effectiveAt(PostEvent p, Instant now) {
    Instant ingested = p.ingestedAt() == null ? p.publishAt() : p.ingestedAt();
    Instant at = ingested.isAfter(p.publishAt()) ? ingested : p.publishAt();
    return at.isAfter(now) ? now : at;
  }

  /**
   * The media keys ({@link MediaName#key()}) that only retracted posts use: their audio, transcripts
   * and images are no longer served. A file that a live or scheduled post also uses stays online.
   */
  public synchronized Set<String> withheldMedia() {
    Set<String> retracted = new HashSet<>();
    Set<String> kept = new HashSet<>();
    for (PostEvent post : latest.values()) {
      Set<String> into = post.change() == PostChange.RETRACTED ? retracted : kept;
      for (MediaRef media : new MediaRef[] {post.audio(), post.image()}) {
        if (media != null) {
          into.add(MediaName.of(media.fileName()).key());
        }
      }
    }
    retracted.removeAll(kept);
    return Set.copyOf(retracted);
  }

  public synchronized int size() {
    return latest.size();
  }
}
