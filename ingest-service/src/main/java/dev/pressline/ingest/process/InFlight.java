package dev.pressline.ingest.process;

import dev.pressline.ingest.publish.PostSink;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The events sent in one pass over the inbox, oldest first, and what they claim. A file whose post
 * has a claimed slug or content waits for the next pass, when everything sent before it has been
 * acknowledged and is in the catalogue: two events for one slug are never on their way at once, so
 * revisions go up one by one and a repeat is always recognised.
 */
final class InFlight {

  /** A sent event and its acknowledgement to come. */
  record Sent(Pending pending, PostSink.Ack ack) {}

  private final Deque<Sent> unfinished = new ArrayDeque<>();
  // claims last for the whole pass, not just until the acknowledgement: what waits for a claim is
  // decided in the next pass, against a catalogue holding every event of this one
  private final Set<String> slugs = new HashSet<>();
  private final Set<String> hashes = new HashSet<>();

  void add(Pending pending, PostSink.Ack ack) {
    unfinished.add(new Sent(pending, ack));
    slugs.add(pending.event().slug());
    hashes.add(pending.event().contentHash());
  }

  boolean claimsSlug(String slug) {
    return slugs.contains(slug);
  }

  boolean claimsContent(String contentHash) {
    return hashes.contains(contentHash);
  }

  /** Events sent and not yet finished with. */
  int unfinished() {
    return unfinished.size();
  }

  /** Whether the oldest unfinished event has its answer from Kafka (or has failed), so finishing it will not wait. */
  boolean oldestAnswered() {
    Sent oldest = unfinished.peek();
    return oldest != null && oldest.ack().isDone();
  }

  /**
   * Takes back every event not yet gone out: once Kafka has failed one, the others would each wait
   * for it in turn (a new producer, a metadata timeout) before failing too.
   */
  void withdrawUnsent() {
    for (Sent sent : unfinished) {
      sent.ack().withdraw();
    }
  }

  /** Takes the oldest unfinished event, or null. */
  Sent takeOldest() {
    return unfinished.poll();
  }
}
