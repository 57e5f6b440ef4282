package dev.pressline.bench.run;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.events.EventJson;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.lifecycle.PollingThread;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the publisher's {@code delivery-log} as it grows and remembers when each message was
 * accepted by the SMTP server (the publisher writes SENT with the time of the server's 250 reply).
 * Its own thread (a {@link PollingThread}) owns the consumer.
 *
 * <p>The log also holds one fan-out marker per mailing (recipient {@link DeliveryRecord#MARKER_RECIPIENT},
 * SENT once the jobs are out, written before any mail): it is no message, so it is not counted,
 * nor taken as a post's first mail.
 */
public final class DeliveryLogWatcher implements AutoCloseable {

  private final KafkaSettings kafka;
  private final PollingThread thread;
  private final Object lock = new Object();
  private final Set<String> sentKeys = new HashSet<>();
  private final List<Instant> sentTimes = new ArrayList<>();
  private final Map<String, Instant> firstSentBySlug = new HashMap<>();
  private int failed;

  public DeliveryLogWatcher(KafkaSettings kafka) {
    this.kafka = requireNonNull(kafka, "kafka");
    this.thread = new PollingThread("bench-delivery-log", "the bench's delivery-log watcher", Duration.ofSeconds(10),
        this::run);
  }

  public DeliveryLogWatcher start() {
    thread.start();
    return this;
  }

  private void run() {
    try (KafkaConsumer<String, DeliveryRecord> c = new KafkaConsumer<>(
        ClientProperties.reader(kafka, "bench-delivery-log"), new StringDeserializer(),
        JsonSerde.deserializer(new EventJson(), DeliveryRecord.class))) {
      thread.wakeUpWith(c::wakeup);
      if (thread.isClosing()) {
        return;
      }
      String topic = kafka.topics().deliveryLog();
      List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      thread.markRunning();
      while (!thread.isClosing()) {
        for (ConsumerRecord<String, DeliveryRecord> record : c.poll(Duration.ofMillis(100))) {
          take(record.value());
        }
      }
    }
  }

  /** Whether its thread has started reading the log and has not stopped (closed, or by a fault). */
  public boolean isRunning() {
    return thread.isRunning();
  }

  /** Takes one delivery-log value; package-private so the counting is tested without a broker. */
  void take(DeliveryRecord record) {
    if (record == null || DeliveryRecord.MARKER_RECIPIENT.equals(record.email())) {
      return;
    }
    synchronized (lock) {
      if (record.status() == DeliveryStatus.SENT && sentKeys.add(record.key())) {
        sentTimes.add(record.at());
        firstSentBySlug.merge(record.slug(), record.at(), (a, b) -> a.isBefore(b) ? a : b);
        lock.notifyAll();
      } else if (record.status() == DeliveryStatus.FAILED || record.status() == DeliveryStatus.BOUNCED) {
        failed++;
        lock.notifyAll();
      }
    }
  }

  /** Waits until {@code count} distinct messages were sent; false on timeout. */
  public boolean awaitSent(int count, Duration timeout) throws InterruptedException {
    return awaitUntil(() -> sentKeys.size() >= count, timeout);
  }

  /** Waits until sent and failed (or bounced) messages together reach {@code count}; false on timeout. */
  public boolean awaitOutcomes(int count, Duration timeout) throws InterruptedException {
    return awaitUntil(() -> sentKeys.size() + failed >= count, timeout);
  }

  private boolean awaitUntil(BooleanSupplier reached, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!reached.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, Math.min(1000, left / 1_000_000)));
      }
      return true;
    }
  }

  /** Waits until the first message of {@code slug} was sent and returns when; null on timeout. */
  public Instant awaitFirstSent(String slug, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!firstSentBySlug.containsKey(slug)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        lock.wait(Math.max(1, Math.min(1000, left / 1_000_000)));
      }
      return firstSentBySlug.get(slug);
    }
  }

  public int sent() {
    synchronized (lock) {
      return sentKeys.size();
    }
  }

  public int failed() {
    synchronized (lock) {
      return failed;
    }
  }

  /** When each distinct message was accepted, in log order. */
  public List<Instant> sentTimes() {
    synchronized (lock) {
      return List.copyOf(sentTimes);
    }
  }

  @Override
  public void close() {
    thread.close();
  }
}
