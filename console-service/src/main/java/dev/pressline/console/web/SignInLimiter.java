package dev.pressline.console.web;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most so many sign-in attempts per client and minute, counted whether they succeed or not, so the
 * admin token cannot be guessed at speed. Remembers a bounded number of clients.
 */
final class SignInLimiter {

  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final int CLIENTS_REMEMBERED = 10_000;

  private final int attempts;
  private final Clock clock;
  private final Map<String, Deque<Instant>> byClient = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
      return size() > CLIENTS_REMEMBERED;
    }
  };

  SignInLimiter(int attempts, Clock clock) {
    this.attempts = attempts;
    this.clock = requireNonNull(clock, "clock");
  }

  /** Counts an attempt by {@code client}; false when it is one too many for now. */
  synchronized boolean allow(String client) {
    Instant now = clock.instant();
    Deque<Instant> recent = byClient.computeIfAbsent(client, c -> new ArrayDeque<>());
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(WINDOW))) {
      recent.removeFirst();
    }
    if (recent.size() >= attempts) {
      return false;
    }
    recent.addLast(now);
    return true;
  }
}
