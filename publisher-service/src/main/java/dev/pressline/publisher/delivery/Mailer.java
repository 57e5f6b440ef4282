package dev.pressline.publisher.delivery;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.DeliveryJob;
import dev.pressline.events.EventJson;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of the mailer consumer group on {@code deliveries}. Its thread owns the consumer: it polls a
 * batch, hands the jobs to {@code concurrency} workers, keeps polling (paused) so the group does not
 * drop it while SMTP is slow, and commits the batch's offsets once every job has an outcome in the
 * delivery log. Jobs of an unfinished batch are delivered again after a crash; the log stops them
 * from being mailed twice.
 */
public final class Mailer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Mailer.class);

  private final KafkaSettings kafka;
  private final String groupId;
  private final String clientId;
  private final Delivery delivery;
  private final DeliveryLogView logView;
  private final DeliveryLogWriter logWriter;
  private final ExecutorService workers;
  private final Thread thread;
  private volatile KafkaConsumer<String, DeliveryJob> consumer;
  private volatile boolean closing;
  private volatile boolean running;
  private volatile int assigned;
  private List<CompletableFuture<Void>> inFlight = List.of();
  private Map<TopicPartition, OffsetAndMetadata> inFlightOffsets = Map.of();

  public Mailer(KafkaSettings kafka, String groupId, String clientId, int concurrency, Delivery delivery,
      DeliveryLogView logView, DeliveryLogWriter logWriter) {
    this.kafka = requireNonNull(kafka, "kafka");
    this.groupId = requireNonNull(groupId, "groupId");
    this.clientId = requireNonNull(clientId, "clientId");
    this.delivery = requireNonNull(delivery, "delivery");
    this.logView = requireNonNull(logView, "logView");
    this.logWriter = requireNonNull(logWriter, "logWriter");
    this.workers = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, clientId + "-smtp");
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::run, clientId);
    this.thread.setDaemon(true);
  }

  public Mailer start() {
    thread.start();
    return this;
  }

  /** How many {@code deliveries} partitions this mailer sends for right now. */
  public int assignedPartitions() {
    return assigned;
  }

  /** Whether the consumer is polling. */
  public boolean isRunning() {
    return running;
  }

  private void run() {
    Properties props = ClientProperties.groupConsumer(kafka, clientId, groupId);
    // a batch is what the workers finish before the next commit; keep it a few seconds of work
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
    try (KafkaConsumer<String, DeliveryJob> c = new KafkaConsumer<>(props, new StringDeserializer(),
        JsonSerde.deserializer(new EventJson(), DeliveryJob.class))) {
      consumer = c;
      if (closing) {
        return;
      }
      c.subscribe(List.of(kafka.topics().deliveries()), new Rebalance(c));
      running = true;
      while (!closing) {
        ConsumerRecords<String, DeliveryJob> records;
        try {
          records = c.poll(Duration.ofMillis(200));
        } catch (RecordDeserializationException e) {
          log.error("Skipping an unreadable delivery job at {} offset {}: {}", e.topicPartition(), e.offset(),
              e.getMessage());
          c.seek(e.topicPartition(), e.offset() + 1);
          continue;
        }
        if (records.isEmpty()) {
          continue;
        }
        dispatch(records);
        c.pause(c.assignment());
        while (!closing && !finished()) {
          // paused: returns nothing but keeps this member alive in the group
          ConsumerRecords<String, DeliveryJob> extra = c.poll(Duration.ofMillis(50));
          if (!extra.isEmpty()) {
            // partitions assigned in a rebalance are not paused: read these again with the next batch
            rewind(c, extra);
            c.pause(c.assignment());
          }
        }
        if (!closing) {
          completeBatch(c);
          c.resume(c.paused());
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        log.error("Mailer woken up unexpectedly", e);
      }
    } catch (RuntimeException e) {
      log.error("Mailer stopped: {}", e.getMessage(), e);
    } finally {
      running = false;
    }
  }

  private static void rewind(KafkaConsumer<String, DeliveryJob> c, ConsumerRecords<String, DeliveryJob> records) {
    for (TopicPartition partition : records.partitions()) {
      c.seek(partition, records.records(partition).get(0).offset());
    }
  }

  private void dispatch(ConsumerRecords<String, DeliveryJob> records) {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<String, DeliveryJob> record : records) {
      offsets.put(new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1));
      DeliveryJob job = record.value();
      if (job == null) {
        continue;
      }
      futures.add(CompletableFuture.runAsync(() -> deliverSafely(job), workers));
    }
    inFlight = futures;
    inFlightOffsets = offsets;
  }

  private void deliverSafely(DeliveryJob job) {
    try {
      delivery.deliver(job);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the job stays open in the log; the batch is not committed and comes back
      log.error("Delivering '{}' to {} failed: {}", job.slug(), job.email(), e.getMessage(), e);
      throw e;
    }
  }

  private boolean finished() {
    return inFlight.stream().allMatch(CompletableFuture::isDone);
  }

  private void completeBatch(KafkaConsumer<String, DeliveryJob> c) {
    boolean allOk = inFlight.stream().noneMatch(CompletableFuture::isCompletedExceptionally);
    Map<TopicPartition, OffsetAndMetadata> offsets = inFlightOffsets;
    inFlight = List.of();
    inFlightOffsets = Map.of();
    // outcomes first, then offsets: a crash in between only re-reads jobs the log already settles
    logWriter.flush();
    if (allOk) {
      c.commitSync(offsets);
    } else {
      // something went wrong outside SMTP (Kafka, rendering): read the batch again from the last commit
      for (TopicPartition partition : offsets.keySet()) {
        OffsetAndMetadata committed = c.committed(java.util.Set.of(partition)).get(partition);
        c.seek(partition, committed == null ? 0 : committed.offset());
      }
    }
  }

  /** Finishes the running batch before partitions move to another mailer, and catches up the log after. */
  private final class Rebalance implements ConsumerRebalanceListener {
    private final KafkaConsumer<String, DeliveryJob> c;

    Rebalance(KafkaConsumer<String, DeliveryJob> c) {
      this.c = c;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      assigned = 0;
      if (inFlight.isEmpty()) {
        return;
      }
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
      if (!closing) {
        completeBatch(c);
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned = c.assignment().size();
      if (partitions.isEmpty()) {
        return;
      }
      // the previous owner's outcomes must be in our copy of the log before we look anything up
      try {
        if (!logView.syncToEnd(Duration.ofSeconds(60))) {
          log.warn("The delivery log did not catch up within 60 s; continuing with what is known");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      log.info("Mailer {} now sends for {} partition(s) of {}", clientId, partitions.size(), kafka.topics().deliveries());
    }
  }

  @Override
  public void close() {
    closing = true;
    delivery.stop();
    KafkaConsumer<String, DeliveryJob> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
