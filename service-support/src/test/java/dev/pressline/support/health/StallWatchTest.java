package dev.pressline.support.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.support.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StallWatchTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final StallWatch watch = new StallWatch("the mailer", clock, Duration.ofMinutes(2));

  @Test
  void waitingForInputIsNeverAStallHoweverLong() {
    watch.idle();
    clock.advance(Duration.ofDays(3));
    assertThat(watch.stall()).isEmpty();
  }

  @Test
  void workWithoutProgressBeyondTheLimitIsAStallInPlainWords() {
    watch.working("sending a newsletter");
    clock.advance(Duration.ofMinutes(2));
    assertThat(watch.stall()).as("at the limit").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(watch.stall())
        .hasValue("the mailer has been sending a newsletter for 2 min 1 s without progress (limit 2 min 0 s)");
  }

  @Test
  void progressRestartsTheCount() {
    watch.working("fanning out a post");
    clock.advance(Duration.ofMinutes(1));
    watch.working("fanning out a post");
    clock.advance(Duration.ofMinutes(1).plusSeconds(30));
    assertThat(watch.stall()).isEmpty();
  }

  @Test
  void duringEndsIdleEvenWhenTheWorkFails() {
    assertThatThrownBy(() -> watch.during("rebuilding", () -> {
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    clock.advance(Duration.ofHours(1));
    assertThat(watch.stall()).isEmpty();
  }

  @Test
  void refusesALimitThatIsNotPositive() {
    assertThatThrownBy(() -> new StallWatch("x", clock, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
