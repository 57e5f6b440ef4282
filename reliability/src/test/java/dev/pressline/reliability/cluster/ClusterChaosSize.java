package dev.pressline.reliability.cluster;

import java.time.Duration;
import java.util.Locale;

/**
 * How big a cluster chaos run is. CI runs {@link #SMALL} (each fault once, a few minutes beside the
 * other tests); {@code -Dpressline.chaos=medium} or {@code full} repeat the faults with more
 * subscribers and posts coming in faster.
 *
 * @param name as printed
 * @param subscribers confirmed subscribers, each of whom must get every post
 * @param dropEvery pause between two posts the editor drops; it drops until the last fault is over
 * @param rounds how many times the four faults are made, each round in its own random order
 * @param quiet how long mail flows undisturbed before each fault, so each fault's pause is its own
 * @param patience the most any one wait may take before the run counts as failed
 */
record ClusterChaosSize(String name, int subscribers, Duration dropEvery, int rounds, Duration quiet,
    Duration patience) {

  static final ClusterChaosSize SMALL =
      new ClusterChaosSize("small", 10, Duration.ofMillis(1000), 1, Duration.ofSeconds(4), Duration.ofMinutes(3));
  static final ClusterChaosSize MEDIUM =
      new ClusterChaosSize("medium", 50, Duration.ofMillis(500), 2, Duration.ofSeconds(8), Duration.ofMinutes(10));
  static final ClusterChaosSize FULL =
      new ClusterChaosSize("full", 100, Duration.ofMillis(400), 3, Duration.ofSeconds(10), Duration.ofMinutes(20));

  static ClusterChaosSize fromSystemProperty() {
    return switch (System.getProperty("pressline.chaos", "small").toLowerCase(Locale.ROOT)) {
      case "full" -> FULL;
      case "medium" -> MEDIUM;
      default -> SMALL;
    };
  }
}
