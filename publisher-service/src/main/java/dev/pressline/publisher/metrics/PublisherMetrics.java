package dev.pressline.publisher.metrics;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of what this instance did since it started, served at {@code /metrics} in Prometheus text format. */
public final class PublisherMetrics {

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong bounced = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong possibleDuplicates = new AtomicLong();
  private final AtomicLong fannedOutPosts = new AtomicLong();
  private final AtomicLong fannedOutJobs = new AtomicLong();

  public void sent(boolean possibleDuplicate) {
    sent.incrementAndGet();
    if (possibleDuplicate) {
      possibleDuplicates.incrementAndGet();
    }
  }

  public void bounced() {
    bounced.incrementAndGet();
  }

  public void failed() {
    failed.incrementAndGet();
  }

  public void retried() {
    retries.incrementAndGet();
  }

  public void fannedOut(int jobs) {
    fannedOutPosts.incrementAndGet();
    fannedOutJobs.addAndGet(jobs);
  }

  /** The counters plus {@code gauges} (current values such as the number of subscribers). */
  public String render(Map<String, Number> gauges) {
    StringBuilder out = new StringBuilder();
    counter(out, "pressline_publisher_mails_sent_total", "Messages the SMTP server accepted", sent.get());
    counter(out, "pressline_publisher_mails_bounced_total", "Deliveries refused permanently (5xx)", bounced.get());
    counter(out, "pressline_publisher_mails_failed_total", "Deliveries given up or not sendable", failed.get());
    counter(out, "pressline_publisher_smtp_retries_total", "Temporary SMTP failures that were retried", retries.get());
    counter(out, "pressline_publisher_possible_duplicates_total",
        "Messages re-sent after a crash interrupted an SMTP attempt", possibleDuplicates.get());
    counter(out, "pressline_publisher_posts_fanned_out_total", "Posts turned into delivery jobs", fannedOutPosts.get());
    counter(out, "pressline_publisher_jobs_fanned_out_total", "Delivery jobs written", fannedOutJobs.get());
    gauges.forEach((name, value) -> out.append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value).append('\n'));
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" counter\n")
        .append(name).append(' ').append(value).append('\n');
  }
}
