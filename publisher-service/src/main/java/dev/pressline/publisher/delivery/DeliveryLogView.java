package dev.pressline.publisher.delivery;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.EventJson;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
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

  private final KafkaSettings kafka;
  private final String clientId;
  private final Map<String, DeliveryRecord> byKey = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> syncRequests = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final Thread thread;
  private volatile KafkaConsumer<String, DeliveryRecord> consumer;
  private volatile boolean closing;

  public DeliveryLogView(KafkaSettings kafka, String clientId) {
    this.kafka = requireNonNull(kafka, "kafka");
    this.clientId = requireNonNull(clientId, "clientId");
    this.thread = new Thread(this::run, clientId);
    this.thread.setDaemon(true);
  }

  public DeliveryLogView start() {
    thread.start();
    return this;
  }

  public Optional<DeliveryRecord> get(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  public Collection<DeliveryRecord> all() {
    return List.copyOf(byKey.values());
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
    try (KafkaConsumer<String, DeliveryRecord> c =
        new KafkaConsumer<>(ClientProperties.reader(kafka, clientId), new StringDeserializer(),
            JsonSerde.deserializer(new EventJson(), DeliveryRecord.class))) {
      consumer = c;
      if (closing) {
        return;
      }
      List<TopicPartition> partitions =
          c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> target = c.endOffsets(partitions);
      CompletableFuture<Void> pending = caughtUp;
      List<CompletableFuture<Void>> waiting = new java.util.ArrayList<>();
      while (!closing) {
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
        try {
          for (ConsumerRecord<String, DeliveryRecord> record : c.poll(Duration.ofMillis(100))) {
            if (record.value() == null) {
              byKey.remove(record.key());
            } else {
              merge(record.value());
            }
          }
        } catch (RecordDeserializationException e) {
          log.error("Skipping unreadable delivery-log record at {} offset {}: {}",
              e.topicPartition(), e.offset(), e.getMessage());
          c.seek(e.topicPartition(), e.offset() + 1);
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        throw e;
      }
    } catch (RuntimeException e) {
      log.error("Stopped reading the delivery log: {}", e.getMessage(), e);
      caughtUp.completeExceptionally(e);
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

  private void merge(DeliveryRecord incoming) {
    // the topic may hand back an older state after this instance remembered a newer one
    byKey.merge(incoming.key(), incoming, (old, now) -> isNewer(now, old) ? now : old);
  }

  private static boolean isNewer(DeliveryRecord candidate, DeliveryRecord current) {
    int byTime = candidate.at().compareTo(current.at());
    if (byTime != 0) {
      return byTime > 0;
    }
    return candidate.status().isFinal() || !current.status().isFinal();
  }

  @Override
  public void close() {
    closing = true;
    KafkaConsumer<String, DeliveryRecord> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
