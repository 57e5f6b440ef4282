package dev.pressline.publisher.http;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most N requests per client address in any sliding minute. Bounded memory: the least recently
 * seen addresses are forgotten first.
 */
final class ClientRateLimit {

  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final int MAX_CLIENTS = 50_000;

  private final int perMinute;
  private final Clock clock;
  private final Map<String, Deque<Instant>> recent = new LinkedHashMap<>(16, 0.75f, true);

  ClientRateLimit(int perMinute, Clock clock) {
    this.perMinute = perMinute;
    this.clock = requireNonNull(clock, "clock");
  }

  /** Counts a request; false when the client has used up its allowance. */
  synchronized boolean allow(String client) {
    Instant now = clock.instant();
    Instant windowStart = now.minus(WINDOW);
    Deque<Instant> times = recent.computeIfAbsent(client, c -> new ArrayDeque<>());
    while (!times.isEmpty() && !times.peekFirst().isAfter(windowStart)) {
      times.pollFirst();
    }
    if (recent.size() > MAX_CLIENTS) {
      Iterator<String> eldest = recent.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
    if (times.size() >= perMinute) {
      return false;
    }
    times.addLast(now);
    return true;
  }
}
