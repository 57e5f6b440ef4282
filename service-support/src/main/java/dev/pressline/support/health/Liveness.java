package dev.pressline.support.health;

import static java.util.Objects.requireNonNull;

import dev.pressline.support.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Whether a service can still recover by itself, for {@code /health/live}: every part that does not
 * come back on its own is running and none is stuck. The answer names the first part that is not, in
 * an operator's words, so an orchestrator's restart is never a mystery.
 */
public final class Liveness {

  /** The shared setting: how long one piece of work may go without progress. */
  public static final String STALL_LIMIT = "PRESSLINE_STALL_LIMIT";

  /** One part: its name, whether its thread runs, and its stall watch. */
  public record Part(String name, BooleanSupplier running, StallWatch watch) {
    public Part {
      requireNonNull(name, "name");
      requireNonNull(running, "running");
      requireNonNull(watch, "watch");
    }
  }

  private final List<Part> parts;

  public Liveness(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /** Empty while the service is alive; otherwise why it should be restarted. */
  public Optional<String> problem() {
    for (Part part : parts) {
      if (!part.running().getAsBoolean()) {
        return Optional.of(part.name() + " has stopped; restart the service");
      }
      Optional<String> stall = part.watch().stall();
      if (stall.isPresent()) {
        return Optional.of(stall.get() + "; restart the service");
      }
    }
    return Optional.empty();
  }

  /**
   * {@value #STALL_LIMIT}, default 5 minutes: longer than any one piece of work takes when all is well
   * (a rebuild of 10,000 posts, a parse under its own time limit, an SMTP exchange under its timeouts),
   * so that a restart is only asked for when a part is really stuck.
   */
  public static Duration stallLimit(Settings settings) {
    Duration limit = settings.duration(STALL_LIMIT, Duration.ofMinutes(5));
    if (limit.isNegative() || limit.isZero()) {
      throw new dev.pressline.support.config.InvalidSettingException(STALL_LIMIT, limit.toString(), "must be positive");
    }
    return limit;
  }
}
