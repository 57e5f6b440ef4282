package dev.pressline.reliability.chaos;

import java.time.Duration;

/**
 * How big a chaos run is. CI runs {@link #SMALL}; {@code -Dpressline.chaos=full} runs the size the
 * reliability issue asks for, {@code -Dpressline.chaos=medium} something in between.
 *
 * @param name as printed
 * @param posts posts dropped into the inbox over the run
 * @param subscribers confirmed subscribers, each of whom must get every post
 * @param dropEvery pause between two posts an editor drops
 * @param killsPerService how many times each service is killed with SIGKILL
 * @param smtpOutage how long the SMTP server is away once
 * @param patience the most any one phase may take before the run counts as failed
 */
record ChaosSize(String name, int posts, int subscribers, Duration dropEvery, int killsPerService,
    Duration smtpOutage, Duration patience) {

  static final ChaosSize SMALL =
      new ChaosSize("small", 30, 20, Duration.ofMillis(800), 2, Duration.ofSeconds(5), Duration.ofMinutes(4));
  static final ChaosSize MEDIUM =
      new ChaosSize("medium", 200, 200, Duration.ofMillis(150), 3, Duration.ofSeconds(30), Duration.ofMinutes(30));
  static final ChaosSize FULL =
      new ChaosSize("full", 1_000, 1_000, Duration.ofMillis(120), 3, Duration.ofSeconds(60), Duration.ofMinutes(90));

  static ChaosSize fromSystemProperty() {
    return switch (System.getProperty("pressline.chaos", "small").toLowerCase(java.util.Locale.ROOT)) {
      case "full" -> FULL;
      case "medium" -> MEDIUM;
      default -> SMALL;
    };
  }

  int expectedMails() {
    return posts * subscribers;
  }
}
