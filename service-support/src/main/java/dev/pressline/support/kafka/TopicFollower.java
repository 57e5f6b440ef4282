package dev.pressline.support.kafka;

import static java.util.Objects.requireNonNull;

import dev.pressline.support.health.StallWatch;
import dev.pressline.support.lifecycle.PollingThread;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole topic from its beginning and then follows it, handing every record to a handler on
 * one thread it owns. Services rebuild their state from the compacted topics this way, and
 * {@link #awaitCaughtUp} tells when the state is as complete as the topic was at start.
 */
public final class TopicFollower<V> implements AutoCloseable {

  /** Receives the records in offset order per partition, always on the follower's thread. */
  public interface Handler<V> {
    /** A record; {@code value} is null for a tombstone. */
    void onRecord(String key, V value);

    /** Called once, when everything present at start has been handed over. */
    default void onCaughtUp() {}

    /**
     * Called after records were handed over, with each partition's position: every record before it
     * has gone to {@link #onRecord}. Not called for every record, and only when a position moved.
     */
    default void onPositions(Map<TopicPartition, Long> positions) {}
  }

  /**
   * Commits, under a consumer group the follower never joins, the positions its reader has applied
   * (which may be behind what it was handed), so that its lag shows in the standard tools.
   *
   * @param groupId the group the offsets are committed under; one per reader
   * @param applied the positions to commit now: every record before them has been applied
   * @param every how often at most a commit is sent
   */
  public record Commits(String groupId, Supplier<Map<TopicPartition, Long>> applied, Duration every) {
    public Commits {
      requireNonNull(groupId, "groupId");
      requireNonNull(applied, "applied");
      requireNonNull(every, "every");
    }
  }

  private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

  private final KafkaSettings kafka;
  private final String topic;
  private final Deserializer<V> deserializer;
  private final Handler<V> handler;
  private final StallWatch watch;
  // made once: the follower tells its watch about every record, thousands a second at start
  private final String handling;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final PollingThread thread;
  private final Commits commits;
  // the follower thread's own: the positions last handed over and last committed
  private Map<TopicPartition, Long> handed = Map.of();
  private Map<TopicPartition, Long> committed = Map.of();
  private long nextCommitNanos;

  /** For a short-lived reader that no liveness check asks about (a command-line tool). */
  public TopicFollower(
      KafkaSettings kafka, String topic, Deserializer<V> deserializer, Handler<V> handler) {
    this(kafka, topic, deserializer, handler,
        new StallWatch("the follower of " + topic, Clock.systemUTC(), Duration.ofDays(365)));
  }

  /**
   * @param watch told when the handler works and when the follower waits for records, so that a
   *     handler that never returns shows on {@code /health/live}
   */
  public TopicFollower(
      KafkaSettings kafka, String topic, Deserializer<V> deserializer, Handler<V> handler,
      StallWatch watch) {
    this(kafka, topic, deserializer, handler, watch, null);
  }

  /**
   * @param commits where and how often to commit the positions the handler has applied; null: nothing
   *     is committed and the follower uses no consumer group at all
   */
  public TopicFollower(
      KafkaSettings kafka, String topic, Deserializer<V> deserializer, Handler<V> handler,
      StallWatch watch, Commits commits) {
    this.commits = commits;
    this.watch = requireNonNull(watch, "watch");
    this.kafka = requireNonNull(kafka, "kafka");
    this.handling = "handling a record of " + topic;
    this.topic = requireNonNull(topic, "topic");
    this.deserializer = requireNonNull(deserializer, "deserializer");
    this.handler = requireNonNull(handler, "handler");
    this.thread = new PollingThread("follow-" + topic, "the follower of topic " + topic, Duration.ofSeconds(10),
        this::run);
  }

  public TopicFollower<V> start() {
    thread.start();
    return this;
  }

  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isCaughtUp() {
    return caughtUp.getCount() == 0;
  }

  /** Whether the following thread is alive: false once closed or stopped by a fault. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  /** What stopped the follower while nobody had closed it, if anything did. */
  public Optional<Throwable> failure() {
    return thread.failure();
  }

  private void run() {
    Properties props = ClientProperties.reader(kafka, "follow-" + topic);
    if (commits != null) {
      // only for committing: partitions are still assigned here, the group is never joined
      props.put(ConsumerConfig.GROUP_ID_CONFIG, commits.groupId());
    }
    try (KafkaConsumer<String, V> c = new KafkaConsumer<>(props, new StringDeserializer(), deserializer)) {
      thread.wakeUpWith(c::wakeup);
      if (thread.isClosing()) {
        return;
      }
      List<TopicPartition> partitions = partitionsOf(c);
      c.assign(partitions);
      c.seekToBeginning(partitions);
      thread.markRunning();
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      // nanoTime has an arbitrary origin: the first commit is due from now, not from zero
      nextCommitNanos = System.nanoTime();
      checkCaughtUp(c, end);
      while (!thread.isClosing()) {
        try {
          watch.idle();
          for (ConsumerRecord<String, V> record : c.poll(Duration.ofMillis(200))) {
            watch.working(handling);
            handler.onRecord(record.key(), record.value());
          }
        } catch (RecordDeserializationException e) {
          // one unreadable record must not stop the service rebuilding its state from the rest
          log.error("Skipping unreadable record at {} offset {} of {}: {}",
              e.topicPartition(), e.offset(), topic, e.getMessage());
          c.seek(e.topicPartition(), e.offset() + 1);
        }
        handOverPositions(c, partitions);
        checkCaughtUp(c, end);
        commitApplied(c);
      }
    }
  }

  /** Tells the handler where each partition stands, when that moved; a few map lookups per poll. */
  private void handOverPositions(KafkaConsumer<String, V> c, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> now = new HashMap<>();
    for (TopicPartition p : partitions) {
      now.put(p, c.position(p));
    }
    if (!now.equals(handed)) {
      handed = Map.copyOf(now);
      handler.onPositions(handed);
    }
  }

  /**
   * Commits what the handler has applied, at most once per {@link Commits#every} and only when it
   * moved. Asynchronous: a failed commit is logged and the next one carries the newer positions.
   */
  private void commitApplied(KafkaConsumer<String, V> c) {
    if (commits == null || System.nanoTime() - nextCommitNanos < 0) {
      return;
    }
    nextCommitNanos = System.nanoTime() + commits.every().toNanos();
    Map<TopicPartition, Long> applied = commits.applied().get();
    if (applied.isEmpty() || applied.equals(committed)) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    applied.forEach((p, offset) -> offsets.put(p, new OffsetAndMetadata(offset)));
    committed = applied;
    c.commitAsync(offsets, (done, e) -> {
      if (e != null) {
        log.warn("Could not record how far {} is applied under group {} ({}); trying again", topic,
            commits.groupId(), e.getMessage());
        committed = Map.of();
      }
    });
  }

  /** The topic's partitions; a topic created a moment ago may take a few polls to be known. */
  private List<TopicPartition> partitionsOf(KafkaConsumer<String, V> c) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!thread.isClosing()) {
      List<TopicPartition> partitions =
          c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      if (!partitions.isEmpty()) {
        return partitions;
      }
      if (System.nanoTime() > deadline) {
        throw new KafkaUnavailableException("topic " + topic + " does not exist", null);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
    return List.of();
  }

  private void checkCaughtUp(KafkaConsumer<String, V> c, Map<TopicPartition, Long> end) {
    if (isCaughtUp()) {
      return;
    }
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return;
      }
    }
    handler.onCaughtUp();
    caughtUp.countDown();
  }

  @Override
  public void close() {
    thread.close();
  }
}
