package dev.pressline.reliability.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Watches a count of received mail every few milliseconds and keeps the moments it grew, so a run can
 * say afterwards how long mail stopped after a fault: the longest time between two arrivals (or
 * between the fault and the first arrival) within a window.
 */
final class PauseMeter implements AutoCloseable {

  private static final Duration SAMPLE_EVERY = Duration.ofMillis(50);

  private final IntSupplier count;
  private final List<Long> arrivals = new ArrayList<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mail-pause-meter");
    t.setDaemon(true);
    return t;
  });
  private final long started = System.nanoTime();
  private int last;

  PauseMeter(IntSupplier count) {
    this.count = count;
    this.last = count.getAsInt();
    sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sample() {
    int now = count.getAsInt();
    if (now > last) {
      synchronized (arrivals) {
        arrivals.add(System.nanoTime());
      }
      last = now;
    }
  }

  /**
   * The longest stretch without a new mail between {@code fromNanos} and {@code toNanos}
   * ({@link System#nanoTime()}), the start of the window counting as an arrival; accurate to
   * the sampling interval.
   */
  Duration longestPause(long fromNanos, long toNanos) {
    List<Long> copy;
    synchronized (arrivals) {
      copy = new ArrayList<>(arrivals);
    }
    long previous = fromNanos;
    long longest = 0;
    for (long at : copy) {
      if (at <= fromNanos) {
        continue;
      }
      if (at > toNanos) {
        break;
      }
      longest = Math.max(longest, at - previous);
      previous = at;
    }
    longest = Math.max(longest, toNanos - previous);
    return Duration.ofNanos(longest);
  }

  /** Time since the latest arrival, or since this meter started when none came yet. */
  Duration sinceLastArrival() {
    synchronized (arrivals) {
      long last = arrivals.isEmpty() ? started : arrivals.get(arrivals.size() - 1);
      return Duration.ofNanos(System.nanoTime() - last);
    }
  }

  /** The first arrival after {@code fromNanos}, or -1 when none came yet. */
  long firstArrivalAfter(long fromNanos) {
    synchronized (arrivals) {
      return arrivals.stream().filter(a -> a > fromNanos).findFirst().orElse(-1L);
    }
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
