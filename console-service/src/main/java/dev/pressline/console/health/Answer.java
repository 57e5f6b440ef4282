package dev.pressline.console.health;

import java.util.List;

/**
 * What one health endpoint of a service said, in words.
 *
 * @param ok whether it answered 200
 * @param state in words: "ready", "starting", "not ready", "alive", "stopped", or "no answer"
 * @param message why, in the service's own words ("" when it gave no reason)
 * @param checks the other figures it reported, in its order
 */
public record Answer(boolean ok, String state, String message, List<Check> checks) {

  public Answer {
    checks = List.copyOf(checks);
  }

  static Answer none(String why) {
    return new Answer(false, "no answer", why, List.of());
  }
}
