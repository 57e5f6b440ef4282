package dev.pressline.support.health;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells whether one long-running part of a service (a topic follower, a mailer, the inbox thread) is
 * stuck: busy with one piece of work, without progress, for longer than a limit. A thread that is
 * alive but blocked for good (a handler that never returns, a socket that never answers) passes a
 * plain {@code Thread.isAlive()} check; this is what makes {@code /health/live} tell the truth.
 *
 * <p>The owning thread calls {@link #working} when it starts a piece of work or makes progress in a
 * long one, and {@link #idle} when it waits for more input; any thread may ask {@link #stall}.
 */
public final class StallWatch {

  private static final long IDLE = Long.MIN_VALUE;

  private final String part;
  private final Clock clock;
  private final Duration limit;
  private volatile long sinceMillis = IDLE;
  private volatile String doing = "";

  /**
   * @param part the part in an operator's words, e.g. "the inbox thread"
   * @param limit how long one piece of work may go without progress before the part counts as stuck
   */
  public StallWatch(String part, Clock clock, Duration limit) {
    this.part = requireNonNull(part, "part");
    this.clock = requireNonNull(clock, "clock");
    this.limit = requireNonNull(limit, "limit");
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("the stall limit must be positive: " + limit);
    }
  }

  /** The owning thread starts {@code what}, or made progress in it: the limit counts from now. */
  public void working(String what) {
    doing = requireNonNull(what, "what");
    sinceMillis = clock.millis();
  }

  /** The owning thread waits for input: waiting is never a stall. */
  public void idle() {
    sinceMillis = IDLE;
  }

  /** Runs {@code work} as one piece of work. */
  public void during(String what, Runnable work) {
    working(what);
    try {
      work.run();
    } finally {
      idle();
    }
  }

  /** Why the part counts as stuck, in an operator's words; empty while it works or waits normally. */
  public Optional<String> stall() {
    long since = sinceMillis;
    if (since == IDLE) {
      return Optional.empty();
    }
    Duration busy = Duration.ofMillis(clock.millis() - since);
    if (busy.compareTo(limit) <= 0) {
      return Optional.empty();
    }
    return Optional.of(part + " has been " + doing + " for " + words(busy)
        + " without progress (limit " + words(limit) + ")");
  }

  private static String words(Duration d) {
    long s = d.toSeconds();
    return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
  }
}
