package dev.pressline.ingest.outcome;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the file outcomes the console never gets ({@code ingest_outcome_events_dropped_total}) and
 * tells the operator about them in one line now and then rather than one line per file: while Kafka is
 * away every file would otherwise add its own warning to the ones ingest already writes.
 */
final class DroppedOutcomes {

  private static final Logger log = LoggerFactory.getLogger(DroppedOutcomes.class);
  /** At most one line per this long: enough to see it is still going on, few enough to read the rest. */
  static final Duration LOG_EVERY = Duration.ofMinutes(1);

  private final Clock clock;
  private final Counter counter;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicReference<Instant> lastTaken;
  private final AtomicReference<Instant> lastLogged = new AtomicReference<>(Instant.MIN);

  DroppedOutcomes(MeterRegistry registry, Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    this.lastTaken = new AtomicReference<>(clock.instant());
    this.counter = Counter.builder("ingest.outcome.events.dropped")
        .description("file outcomes the console did not get: Kafka did not take them, or too many waited")
        .register(requireNonNull(registry, "registry"));
  }

  /** Kafka took an outcome: the next drop measures how long it has not taken one from here. */
  void taken() {
    lastTaken.set(clock.instant());
  }

  /**
   * One outcome is lost; {@code why} says how, in an operator's words. True when this one was told in
   * the log (the first, then the first after each {@link #LOG_EVERY}).
   */
  boolean dropped(String file, String why) {
    long total = dropped.incrementAndGet();
    counter.increment();
    Instant now = clock.instant();
    Instant logged = lastLogged.get();
    if (!now.isBefore(logged.plus(LOG_EVERY)) && lastLogged.compareAndSet(logged, now)) {
      log.warn("Console outcome events are being dropped: Kafka has not taken them for {} s ({} dropped so far, "
              + "the latest for {}: {}). The files themselves are handled as usual; only the console's inbox "
              + "page misses them.",
          Duration.between(lastTaken.get(), now).toSeconds(), total, file, why);
      return true;
    }
    return false;
  }

  /** How many outcomes were lost since the start. */
  long count() {
    return dropped.get();
  }
}
