package dev.pressline.console.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service's health as the Health page shows it.
 *
 * @param service its name
 * @param url its base URL
 * @param unreachable why it could not be asked at all ("connection refused"); "" when it answered
 * @param readiness what {@code /health/ready} said
 * @param liveness what {@code /health/live} said
 * @param lastReached when it last answered, in words that end where the time {@code at} follows
 *     ("last reached 2 min 3 s ago, at")
 * @param at the time those words name: this answer, the last one, or the console's start
 */
public record Probe(String service, String url, String unreachable, Answer readiness, Answer liveness,
    String lastReached, Instant at) {

  /** Answered, ready and alive. */
  public boolean ok() {
    return unreachable.isEmpty() && readiness.ok() && liveness.ok();
  }

  public boolean reachable() {
    return unreachable.isEmpty();
  }

  /** The checks of both answers, each name once (a service may report the same figures on both). */
  public List<Check> checks() {
    Map<String, Check> byName = new LinkedHashMap<>();
    readiness.checks().forEach(c -> byName.put(c.name(), c));
    liveness.checks().forEach(c -> byName.putIfAbsent(c.name(), c));
    return List.copyOf(byName.values());
  }
}
