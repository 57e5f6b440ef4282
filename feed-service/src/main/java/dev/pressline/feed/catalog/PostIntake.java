package dev.pressline.feed.catalog;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.PostEvent;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets each record of the posts topic into the catalogue, or skips it with a reason. The topic is
 * written by other programs and kept for ever (it is compacted), so one event the feed cannot
 * publish, such as a date in the year -999999999, would otherwise fail every rebuild, after every
 * restart. A skipped event leaves the slug's earlier version in place.
 */
public final class PostIntake {

  private static final Logger log = LoggerFactory.getLogger(PostIntake.class);

  /** Dates RSS, HTML and {@link java.util.Date} can all carry: four-digit years. */
  static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private final Catalog catalog;
  private final AtomicLong skipped = new AtomicLong();

  public PostIntake(Catalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog");
  }

  /**
   * Applies one record (a null event is a tombstone) unless it cannot be published.
   *
   * @return whether the catalogue took it
   */
  public boolean accept(String key, PostEvent event) {
    String problem = problem(key, event);
    if (problem != null) {
      skipped.incrementAndGet();
      log.error("Skipping an event of the posts topic (key '{}'): {}", printable(key), problem);
      return false;
    }
    catalog.apply(key, event);
    return true;
  }

  /**
   * {@code reader} counting the records it cannot read among the skipped ones: the topic follower
   * skips such a record and logs it, and it should show in the same figure as the other bad events.
   */
  public Deserializer<PostEvent> counting(Deserializer<PostEvent> reader) {
    requireNonNull(reader, "reader");
    return (topic, data) -> {
      try {
        return reader.deserialize(topic, data);
      } catch (RuntimeException e) {
        skipped.incrementAndGet();
        throw e;
      }
    };
  }

  /** Events skipped since start (unreadable ones included), for /metrics. */
  public long skipped() {
    return skipped.get();
  }

  /** Why the event cannot go into the catalogue, or null when it can. */
  static String problem(String key, PostEvent event) {
    if (key == null) {
      return "the record has no key (the key must be the post's slug)";
    }
    if (event == null) {
      return null; // a tombstone: the slug is forgotten
    }
    if (!event.slug().equals(key)) {
      return "the key differs from the post's slug '" + printable(event.slug()) + "'";
    }
    if (event.slug().isBlank()) {
      return "the slug is empty";
    }
    if (outOfRange(event.publishAt())) {
      return "publish date " + event.publishAt() + " is outside the years 1 to 9999";
    }
    if (event.ingestedAt() != null && outOfRange(event.ingestedAt())) {
      return "ingest date " + event.ingestedAt() + " is outside the years 1 to 9999";
    }
    return null;
  }

  private static boolean outOfRange(Instant at) {
    return at.isBefore(EARLIEST) || at.isAfter(LATEST);
  }

  /** A value from the topic as it may go into a log line: one line, not too long. */
  private static String printable(String value) {
    if (value == null) {
      return "(none)";
    }
    String line = value.replaceAll("\\p{Cntrl}", "?");
    return line.length() <= 120 ? line : line.substring(0, 117) + "...";
  }
}
