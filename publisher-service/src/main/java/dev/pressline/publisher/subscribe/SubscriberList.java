package dev.pressline.publisher.subscribe;

import dev.pressline.events.SubscriberEvent;
import dev.pressline.support.kafka.TopicFollower;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's copy of the subscriber list, rebuilt from the compacted {@code subscribers} topic
 * and kept current by following it.
 */
public final class SubscriberList implements TopicFollower.Handler<SubscriberEvent> {

  private static final Logger log = LoggerFactory.getLogger(SubscriberList.class);

  /** Sources are few (web, admin, one per imported file); past this many they are not shared. */
  private static final int MAX_SHARED_SOURCES = 10_000;

  private final Map<String, SubscriberEvent> byEmail = new ConcurrentHashMap<>();
  private final Object changed = new Object();
  private final Map<String, String> sources = new ConcurrentHashMap<>();
  /** Kept as records arrive: /metrics and /health ask for it often, and counting a million costs milliseconds. */
  private final AtomicLong confirmed = new AtomicLong();

  @Override
  public void onRecord(String key, SubscriberEvent value) {
    String problem = problem(key, value);
    if (problem != null) {
      // the topic is written by other programs and kept for ever: such an event is left out, and
      // never becomes a recipient of the fan-out
      log.error("Skipping an event of the subscribers topic (key '{}'): {}", printable(key), problem);
      return;
    }
    SubscriberEvent before = value == null ? byEmail.remove(key) : byEmail.put(value.email(), compact(value));
    confirmed.addAndGet(receiving(value) - receiving(before));
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** Why the record cannot go into the list, or null when it can; a tombstone only needs its key. */
  static String problem(String key, SubscriberEvent value) {
    if (key == null) {
      return "the record has no key (the key must be the normalised address)";
    }
    if (value == null) {
      return null;
    }
    if (!key.equals(value.email())) {
      return "the key differs from the subscriber's address '" + printable(value.email()) + "'";
    }
    if (!EmailAddress.normalise(value.email()).equals(Optional.of(value.email()))) {
      return "the address is not a single plain address mail can be sent to";
    }
    return null;
  }

  /** A value from the topic as it may go into a log line: one line, not too long. */
  private static String printable(String value) {
    if (value == null) {
      return "(none)";
    }
    String line = value.replaceAll("\\p{Cntrl}", "?");
    return line.length() <= 120 ? line : line.substring(0, 117) + "...";
  }

  /**
   * The same state sharing one copy of its source with every other subscriber that came the same way.
   * With a million subscribers the list is most of the publisher's heap; this, and keying the map by
   * the event's own address instead of an equal copy from the record key, saves two strings per
   * subscriber.
   */
  private SubscriberEvent compact(SubscriberEvent value) {
    if (sources.size() >= MAX_SHARED_SOURCES) {
      return value;
    }
    String source = sources.computeIfAbsent(value.source(), s -> s);
    return source == value.source() ? value
        : new SubscriberEvent(value.schemaVersion(), value.email(), value.status(), value.changedAt(), source);
  }

  public Optional<SubscriberEvent> get(String email) {
    return Optional.ofNullable(byEmail.get(email));
  }

  /** Addresses that receive posts right now, sorted so a fan-out is reproducible. */
  public List<String> confirmed() {
    return byEmail.values().stream()
        .filter(s -> s.status().receivesPosts())
        .map(SubscriberEvent::email)
        .sorted()
        .toList();
  }

  /** How many receive posts right now (health checks, metrics). */
  public long confirmedCount() {
    return confirmed.get();
  }

  private static int receiving(SubscriberEvent state) {
    return state != null && state.status().receivesPosts() ? 1 : 0;
  }

  public List<SubscriberEvent> all() {
    return byEmail.values().stream().sorted((a, b) -> a.email().compareTo(b.email())).toList();
  }

  /** Waits until the subscriber's latest state satisfies {@code condition}; false on timeout. */
  public boolean await(String email, Predicate<SubscriberEvent> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changed) {
      while (true) {
        SubscriberEvent current = byEmail.get(email);
        if (current != null && condition.test(current)) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.wait(Math.max(1, left / 1_000_000));
      }
    }
  }
}
