package dev.pressline.support.kafka;

import static java.util.Objects.requireNonNull;

/** The pipeline's topic names, all under one prefix so several pipelines can share a cluster. */
public record TopicNames(String prefix) {
  public TopicNames {
    requireNonNull(prefix, "prefix");
    if (!prefix.matches("[A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "topic prefix may hold only letters, digits, '.', '_' and '-': " + prefix);
    }
  }

  /** The catalogue: one compacted record per slug. */
  public String posts() {
    return prefix + "posts";
  }

  /** The subscriber list: one compacted record per normalised email. */
  public String subscribers() {
    return prefix + "subscribers";
  }

  /** Fan-out of posts into one job per recipient. */
  public String deliveries() {
    return prefix + "deliveries";
  }

  /** Who got what: one compacted record per post and recipient. */
  public String deliveryLog() {
    return prefix + "delivery-log";
  }

  /** What ingest did with each inbox file (taken, updated, duplicate, rejected, waiting): for the console. */
  public String fileOutcomes() {
    return prefix + "file-outcomes";
  }

  /**
   * The start of every feed instance's consumer group, {@code <prefix>feed-<instance id>}: a feed reads
   * the whole topic itself and commits, without joining, the position its served site includes, so
   * that its lag shows in the standard tools and on the console.
   */
  public String feedGroupPrefix() {
    return prefix + "feed-";
  }
}
