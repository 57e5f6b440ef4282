package dev.pressline.ingest.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Every lost outcome is counted; the log hears of them once a minute at most, however many there are. */
class DroppedOutcomesTest {

  @Test
  void countsEveryDropAndTellsTheLogOnceAMinute() {
    SteppedClock clock = new SteppedClock(Instant.parse("2026-12-05T06:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DroppedOutcomes dropped = new DroppedOutcomes(registry, clock);

    assertThat(dropped.dropped("a.md", "Kafka away")).as("the first is told").isTrue();
    clock.step(Duration.ofSeconds(30));
    assertThat(dropped.dropped("b.md", "Kafka away")).as("30 s later: counted, not told").isFalse();
    for (int i = 0; i < 100; i++) {
      assertThat(dropped.dropped("c" + i + ".md", "Kafka away")).isFalse();
    }
    clock.step(Duration.ofSeconds(30));
    assertThat(dropped.dropped("d.md", "Kafka away")).as("a minute after the last line").isTrue();
    dropped.taken();
    clock.step(Duration.ofSeconds(59));
    assertThat(dropped.dropped("e.md", "Kafka away")).as("Kafka taking one does not reset the minute").isFalse();

    assertThat(dropped.count()).isEqualTo(104);
    assertThat(registry.get("ingest.outcome.events.dropped").counter().count()).isEqualTo(104);
  }

  /** A clock that stands still until the test moves it on. */
  private static final class SteppedClock extends Clock {
    private Instant now;

    SteppedClock(Instant start) {
      this.now = start;
    }

    void step(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
