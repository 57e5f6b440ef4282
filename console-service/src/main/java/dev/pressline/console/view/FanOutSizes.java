package dev.pressline.console.view;

import dev.pressline.events.DeliveryJob;
import dev.pressline.events.DeliveryRecord;
import dev.pressline.support.kafka.TopicFollower;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many recipients each mailing was fanned out to, counted from the {@code deliveries} topic: a
 * fan-out writes all jobs of a mailing with one creation time, and a later retry's jobs are newer, so
 * the jobs that share the earliest time of a mailing are its fan-out. Only a count per mailing is kept.
 */
public final class FanOutSizes implements TopicFollower.Handler<DeliveryJob> {

  private record Batch(Instant createdAt, int jobs) {}

  private final Map<String, Batch> byMailing = new ConcurrentHashMap<>();

  @Override
  public void onRecord(String key, DeliveryJob job) {
    if (job == null) {
      return;
    }
    byMailing.merge(job.mailing(), new Batch(job.createdAt(), 1), (old, one) -> {
      int order = one.createdAt().compareTo(old.createdAt());
      return order == 0 ? new Batch(old.createdAt(), old.jobs() + 1) : order < 0 ? one : old;
    });
  }

  /**
   * The second mailings of a post an update asked for ({@code <slug>@r<revision>}), each with the time
   * of its fan-out, by revision.
   */
  public SortedMap<Integer, Instant> resendsOf(String slug) {
    String prefix = DeliveryRecord.resendMailing(slug, 0);
    prefix = prefix.substring(0, prefix.length() - 1);
    SortedMap<Integer, Instant> found = new TreeMap<>();
    for (Map.Entry<String, Batch> e : byMailing.entrySet()) {
      String mailing = e.getKey();
      if (mailing.startsWith(prefix) && DeliveryRecord.postOf(mailing).equals(slug)) {
        try {
          found.put(Integer.parseInt(mailing.substring(prefix.length())), e.getValue().createdAt());
        } catch (NumberFormatException notAResend) {
          // a name that only looks like one: not a mailing this view knows
        }
      }
    }
    return found;
  }

  /** Recipients of the mailing's fan-out, if any job of it has been read. */
  public OptionalInt recipients(String mailing) {
    Batch batch = byMailing.get(mailing);
    return batch == null ? OptionalInt.empty() : OptionalInt.of(batch.jobs());
  }
}
