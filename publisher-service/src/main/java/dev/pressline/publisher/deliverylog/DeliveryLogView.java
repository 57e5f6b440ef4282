package dev.pressline.publisher.deliverylog;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.events.EventJson;
import dev.pressline.events.MalformedEventException;
import dev.pressline.support.health.StallWatch;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.lifecycle.PollingThread;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's copy of the compacted {@code delivery-log}: who got which post. Mailers consult it
 * before sending. {@link #syncToEnd} waits until everything written to the log so far (by any
 * instance) is in the copy, which a mailer does whenever it takes over partitions.
 */
public final class DeliveryLogView implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeliveryLogView.class);
  /** What a rebuilt plain SENT record says in place of the server's reply, which is not kept. */
  static final String REPLY_NOT_KEPT = "accepted (server reply not kept in memory)";
  private static final int FETCH_MIN_BYTES = 64 * 1024;
  private static final int FETCH_MAX_WAIT_MILLIS = 100;

  private final KafkaSettings kafka;
  private final String clientId;
  /**
   * By delivery-log key. A plain {@code SENT} outcome, by far the most common entry, is kept as a
   * {@link Sent} of a few bytes instead of the whole record with its address, slug and server reply:
   * with a million subscribers per post the full records alone would not fit a 512 MiB heap.
   */
  private final Map<String, Entry> byKey = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> syncRequests = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final StallWatch watch;
  private final PollingThread thread;

  /** For a view no liveness check asks about (tests, a command-line tool). */
  public DeliveryLogView(KafkaSettings kafka, String clientId) {
    this(kafka, clientId, new StallWatch("the delivery-log view", Clock.systemUTC(), Duration.ofDays(365)));
  }

  /** @param watch told when records are merged and when the view waits for more, for {@code /health/live} */
  public DeliveryLogView(KafkaSettings kafka, String clientId, StallWatch watch) {
    this.watch = requireNonNull(watch, "watch");
    this.kafka = requireNonNull(kafka, "kafka");
    this.clientId = requireNonNull(clientId, "clientId");
    this.thread = new PollingThread(clientId, "the delivery-log view", Duration.ofSeconds(10), this::run);
  }

  public DeliveryLogView start() {
    thread.start();
    return this;
  }

  /** Whether the reading thread is alive: false once closed or stopped by a fault. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  public Optional<DeliveryRecord> get(String key) {
    Entry entry = byKey.get(key);
    return entry == null ? Optional.empty() : Optional.of(entry.record(key));
  }

  /** The records whose key passes {@code keyFilter}; only those are rebuilt in full. */
  public List<DeliveryRecord> withKeys(Predicate<String> keyFilter) {
    List<DeliveryRecord> found = new ArrayList<>();
    byKey.forEach((key, entry) -> {
      if (keyFilter.test(key)) {
        found.add(entry.record(key));
      }
    });
    return found;
  }

  /** Takes in a record this instance has just written, before it comes back from the topic. */
  public void remember(DeliveryRecord record) {
    merge(record);
  }

  public boolean isCaughtUp() {
    return caughtUp.isDone();
  }

  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return waitFor(caughtUp, timeout);
  }

  /** Waits until the copy holds everything the log held when this was called; false on timeout. */
  public boolean syncToEnd(Duration timeout) throws InterruptedException {
    CompletableFuture<Void> request = new CompletableFuture<>();
    syncRequests.add(request);
    return waitFor(request, timeout);
  }

  private static boolean waitFor(CompletableFuture<Void> future, Duration timeout) throws InterruptedException {
    try {
      future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return false;
    }
  }

  private void run() {
    String topic = kafka.topics().deliveryLog();
    // values are parsed only when they can change the copy: see mayChange
    Deserializer<DeliveryRecord> json = JsonSerde.deserializer(new EventJson(), DeliveryRecord.class);
    Properties props = ClientProperties.reader(kafka, clientId);
    // while mail goes out the log grows by two entries per message: fetching each as it comes costs
    // the broker and this thread far more than the entries themselves, so a fetch waits for a batch
    // worth reading or a tenth of a second, which is as stale as a report or a takeover may see it
    props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(FETCH_MIN_BYTES));
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(FETCH_MAX_WAIT_MILLIS));
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      thread.wakeUpWith(c::wakeup);
      if (thread.isClosing()) {
        return;
      }
      List<TopicPartition> partitions =
          c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      thread.markRunning();
      Map<TopicPartition, Long> target = c.endOffsets(partitions);
      CompletableFuture<Void> pending = caughtUp;
      List<CompletableFuture<Void>> waiting = new java.util.ArrayList<>();
      while (!thread.isClosing()) {
        if (reached(c, target)) {
          pending.complete(null);
          waiting.forEach(w -> w.complete(null));
          waiting.clear();
          if (!syncRequests.isEmpty()) {
            // a new request: aim at the log's end as it is now
            CompletableFuture<Void> request;
            while ((request = syncRequests.poll()) != null) {
              waiting.add(request);
            }
            target = c.endOffsets(partitions);
            continue;
          }
        }
        watch.idle();
        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(100))) {
          watch.working("reading the delivery log");
          if (record.value() == null) {
            byKey.remove(record.key());
          } else if (mayChange(record.key(), EntryStamp.in(record.headers()))) {
            try {
              DeliveryRecord entry = json.deserialize(topic, record.value());
              if (entry == null) {
                // the JSON literal null: no entry, and not a deletion either (that has no value at all)
                throw new MalformedEventException(DeliveryRecord.class,
                    new IllegalArgumentException("the value is the JSON literal null"));
              }
              merge(entry);
            } catch (MalformedEventException e) {
              log.error("Skipping unreadable delivery-log record at {}-{} offset {}: {}", record.topic(),
                  record.partition(), record.offset(), e.getMessage());
            }
          }
        }
      }
    } catch (RuntimeException e) {
      if (!thread.isClosing()) {
        // whoever waits for the copy learns now that it will not come; the thread logs the cause
        caughtUp.completeExceptionally(e);
      }
      throw e;
    }
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> target) {
    for (Map.Entry<TopicPartition, Long> e : target.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether an entry read from the topic can change the copy; false only when its stamp shows that the
   * entry kept for its key wins over it, as {@link #merge} would decide. That is the case for almost
   * every entry this instance wrote, which it remembered before or while Kafka took it: those are
   * not parsed again (parsing them back costs a quarter of the publisher's CPU while it sends). An
   * entry without a stamp, for a key not yet kept (after a restart nothing is), or newer than the
   * kept one is parsed and merged, whoever wrote it.
   */
  boolean mayChange(String key, EntryStamp stamp) {
    Entry current = stamp == null ? null : byKey.get(key);
    if (current == null) {
      return true;
    }
    int byTime = stamp.at().compareTo(current.at());
    if (byTime != 0) {
      return byTime > 0;
    }
    // the same instant and the same finality: the kept entry is this one read back (a key's entries
    // come from one mailer at a time, with the clock's microseconds apart at the least)
    return stamp.isFinal() && !current.status().isFinal();
  }

  private void merge(DeliveryRecord incoming) {
    // the topic may hand back an older state after this instance remembered a newer one
    byKey.merge(incoming.key(), Entry.of(incoming), (old, now) -> isNewer(now, old) ? now : old);
  }

  private static boolean isNewer(Entry candidate, Entry current) {
    int byTime = candidate.at().compareTo(current.at());
    if (byTime != 0) {
      return byTime > 0;
    }
    return candidate.status().isFinal() || !current.status().isFinal();
  }

  /** One key's latest outcome, in full or, for a plain SENT, in brief. */
  private sealed interface Entry permits Full, Sent {
    Instant at();

    DeliveryStatus status();

    DeliveryRecord record(String key);

    static Entry of(DeliveryRecord record) {
      // a fan-out marker's note ("fanned out to N subscribers") is what reports show: kept in full
      boolean plainSent = record.status() == DeliveryStatus.SENT
          && !record.email().equals(DeliveryRecord.MARKER_RECIPIENT)
          && record.schemaVersion() == DeliveryRecord.SCHEMA_VERSION
          && !record.possibleDuplicate();
      return plainSent ? new Sent(record.at().getEpochSecond(), record.at().getNano(), record.attempts())
          : new Full(record);
    }
  }

  private record Full(DeliveryRecord record) implements Entry {
    @Override
    public Instant at() {
      return record.at();
    }

    @Override
    public DeliveryStatus status() {
      return record.status();
    }

    @Override
    public DeliveryRecord record(String key) {
      return record;
    }
  }

  /** A plain SENT: slug and address are in the key; the server's reply is not kept. */
  private record Sent(long epochSecond, int nano, int attempts) implements Entry {
    @Override
    public Instant at() {
      return Instant.ofEpochSecond(epochSecond, nano);
    }

    @Override
    public DeliveryStatus status() {
      return DeliveryStatus.SENT;
    }

    @Override
    public DeliveryRecord record(String key) {
      int space = key.indexOf(' ');
      return new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, key.substring(0, space), key.substring(space + 1),
          DeliveryStatus.SENT, attempts, REPLY_NOT_KEPT, at());
    }
  }

  @Override
  public void close() {
    thread.close();
  }
}
