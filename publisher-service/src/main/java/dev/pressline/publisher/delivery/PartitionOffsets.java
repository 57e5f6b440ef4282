package dev.pressline.publisher.delivery;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offset each partition may commit: the oldest job read but not settled yet, or the next
 * offset to read when every job read so far is settled. A crash then re-reads exactly the jobs that
 * have no final outcome. Used by the consumer thread only, so not thread-safe.
 */
final class PartitionOffsets {

  /** Offsets read but not settled, per partition, oldest first. */
  private final Map<TopicPartition, TreeSet<Long>> open = new HashMap<>();
  /** The offset after the last one read, per partition. */
  private final Map<TopicPartition, Long> next = new HashMap<>();
  /** What was committed last, per partition: a commit that would not move anything is skipped. */
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  /** A record was read that needs no work (skipped, empty): only the read position moves. */
  void passed(TopicPartition partition, long offset) {
    next.merge(partition, offset + 1, Math::max);
  }

  /**
   * The consumer's position in a partition read from: past the transaction markers the fan-out's
   * transactions leave, which are no records and so never {@link #passed}. Without it a partition
   * whose last record is a marker stays committed one short of its end, and its lag reads 1 for good.
   */
  void positioned(TopicPartition partition, long position) {
    if (hasRead(partition)) {
      next.merge(partition, position, Math::max);
    }
  }

  /** Whether a record of the partition was read since it was assigned. */
  boolean hasRead(TopicPartition partition) {
    return next.containsKey(partition);
  }

  /** A job was read and handed out: its partition cannot commit past it until it is {@link #settled}. */
  void opened(TopicPartition partition, long offset) {
    passed(partition, offset);
    open.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
  }

  /** The job at {@code offset} has its final outcome on record; unknown offsets are ignored. */
  void settled(TopicPartition partition, long offset) {
    TreeSet<Long> offsets = open.get(partition);
    if (offsets != null) {
      offsets.remove(offset);
    }
  }

  /** Jobs handed out and not settled, over all partitions. */
  int openJobs() {
    int count = 0;
    for (TreeSet<Long> offsets : open.values()) {
      count += offsets.size();
    }
    return count;
  }

  /**
   * The offsets to commit for those of {@code partitions} that moved since their last commit: up to
   * the oldest open job, or past everything read. Call {@link #committed} once Kafka took them.
   */
  Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> entry : next.entrySet()) {
      TopicPartition partition = entry.getKey();
      if (!partitions.contains(partition)) {
        continue;
      }
      TreeSet<Long> pending = open.get(partition);
      long upTo = pending == null || pending.isEmpty() ? entry.getValue() : pending.first();
      if (!Long.valueOf(upTo).equals(committed.get(partition))) {
        offsets.put(partition, new OffsetAndMetadata(upTo));
      }
    }
    return offsets;
  }

  /** Kafka took these offsets. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
  }

  /** The partitions went to another member: forget them, the new owner reads from their commits. */
  void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      open.remove(partition);
      next.remove(partition);
      committed.remove(partition);
    }
  }
}
