package dev.pressline.publisher.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What this instance did since it started, recorded into the service's Micrometer registry (the
 * shared {@code ServiceMetrics}, served at {@code /metrics} in Prometheus format).
 */
public final class PublisherMetrics {

  private final Counter sent;
  private final Counter bounced;
  private final Counter failed;
  private final Counter retries;
  private final Counter possibleDuplicates;
  private final Counter fannedOutPosts;
  private final Counter fannedOutJobs;

  public PublisherMetrics(MeterRegistry registry) {
    requireNonNull(registry, "registry");
    sent = counter(registry, "pressline.publisher.mails.sent", "Messages the SMTP server accepted");
    bounced = counter(registry, "pressline.publisher.mails.bounced", "Deliveries refused permanently (5xx)");
    failed = counter(registry, "pressline.publisher.mails.failed", "Deliveries given up after temporary failures");
    retries = counter(registry, "pressline.publisher.smtp.retries", "Temporary SMTP failures that were retried");
    possibleDuplicates = counter(registry, "pressline.publisher.possible.duplicates",
        "Messages re-sent after a crash interrupted an SMTP attempt");
    fannedOutPosts = counter(registry, "pressline.publisher.posts.fanned.out", "Posts turned into delivery jobs");
    fannedOutJobs = counter(registry, "pressline.publisher.jobs.fanned.out", "Delivery jobs written");
  }

  private static Counter counter(MeterRegistry registry, String name, String help) {
    return Counter.builder(name).description(help).register(registry);
  }

  public void sent(boolean possibleDuplicate) {
    sent.increment();
    if (possibleDuplicate) {
      possibleDuplicates.increment();
    }
  }

  public void bounced() {
    bounced.increment();
  }

  public void failed() {
    failed.increment();
  }

  public void retried() {
    retries.increment();
  }

  public void fannedOut(int jobs) {
    fannedOutPosts.increment();
    fannedOutJobs.increment(jobs);
  }
}
