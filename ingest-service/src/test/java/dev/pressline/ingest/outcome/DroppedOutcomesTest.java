package dev.pressline.ingest.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.support.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every lost outcome is counted; the log hears of them once a minute at most, however many there are. */
class DroppedOutcomesTest {

  @Test
  void countsEveryDropAndTellsTheLogOnceAMinute() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-05T06:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DroppedOutcomes dropped = new DroppedOutcomes(registry, clock);

    assertThat(dropped.dropped("a.md", "Kafka away")).as("the first is told").isTrue();
    clock.advance(Duration.ofSeconds(30));
    assertThat(dropped.dropped("b.md", "Kafka away")).as("30 s later: counted, not told").isFalse();
    for (int i = 0; i < 100; i++) {
      assertThat(dropped.dropped("c" + i + ".md", "Kafka away")).isFalse();
    }
    clock.advance(Duration.ofSeconds(30));
    assertThat(dropped.dropped("d.md", "Kafka away")).as("a minute after the last line").isTrue();
    dropped.taken();
    clock.advance(Duration.ofSeconds(59));
    assertThat(dropped.dropped("e.md", "Kafka away")).as("Kafka taking one does not reset the minute").isFalse();

    assertThat(dropped.count()).isEqualTo(104);
    assertThat(registry.get("ingest.outcome.events.dropped").counter().count()).isEqualTo(104);
  }
}
