package dev.pressline.publisher.delivery;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.DeliveryJob;
import dev.pressline.events.EventJson;
import dev.pressline.publisher.PublisherException;
import dev.pressline.publisher.deliverylog.DeliveryLogView;
import dev.pressline.publisher.deliverylog.DeliveryLogWriter;
import dev.pressline.publisher.subscribe.EmailAddress;
import dev.pressline.support.health.StallWatch;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.lifecycle.PollingThread;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of the mailer consumer group on {@code deliveries}. Its thread owns the consumer: it keeps
 * polling and hands each job to workers that share {@code concurrency} SMTP connections; a job that
 * meets a temporary failure waits for its retry on a timer, not on a worker, so it holds up nobody
 * else. Per partition the committed offset only moves up to the oldest job whose final outcome is
 * not durable in the delivery log yet ({@link PartitionOffsets}), so a crash re-reads every unfinished
 * job and the log stops the finished ones from going out twice.
 */
public final class Mailer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Mailer.class);
  private static final Duration COMMIT_INTERVAL = Duration.ofMillis(500);
  /** How long a job waits while another job for the same subscriber and mailing is being sent. */
  private static final Duration SAME_KEY_WAIT = Duration.ofMillis(200);

  /** What the mailer hands each job to: {@link Delivery} in the service. */
  interface Deliverer {
    /** One attempt at the job; see {@link Delivery#deliver}. */
    Delivery.Result deliver(DeliveryJob job) throws InterruptedException;

    /** Every later call leaves its job untouched. */
    void stop();
  }

  /** The delivery log as the mailer needs it around commits and rebalances. */
  interface Log {
    /** Waits until this instance's view holds everything written to the log so far; false on timeout. */
    boolean syncToEnd(Duration timeout) throws InterruptedException;

    /** Waits for every entry written so far; throws when one was not taken. */
    void flush();
  }

  private final String topic;
  private final String clientId;
  private final Supplier<Consumer<String, DeliveryJob>> consumers;
  private final Deliverer delivery;
  private final Log deliveryLog;
  private final int maxOpenJobs;
  private final ExecutorService workers;
  private final ScheduledExecutorService retries;
  private final PollingThread thread;
  private final StallWatch watch;
  private final StallWatch sendWatch;
  /** SMTP attempts under way, guarded by {@link #sendWatch}. */
  private int sending;
  /** Jobs finished by workers, for the consumer thread to account. */
  private final ConcurrentLinkedQueue<JobRef> finished = new ConcurrentLinkedQueue<>();
  /** Partitions this mailer owns; a job of a partition that moved away is left to the new owner. */
  private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
  /** Jobs inside an SMTP attempt right now, per partition. */
  private final Map<TopicPartition, AtomicInteger> running = new ConcurrentHashMap<>();
  /** Jobs handed to a worker or waiting for a retry, by partition and offset. */
  private final Map<JobRef, Boolean> inProgress = new ConcurrentHashMap<>();
  /** Delivery-log keys being delivered right now: one job per subscriber and mailing at a time. */
  private final Set<String> deliveringKeys = ConcurrentHashMap.newKeySet();
  /** Consumer-thread state: what each partition may commit. */
  private final PartitionOffsets offsets = new PartitionOffsets();
  private volatile int assigned;
  private long lastCommitNanos = System.nanoTime();

  private record JobRef(TopicPartition partition, long offset) {}

  /**
   * @param staticMember join the group as the static member {@code clientId}: an instance restarted
   *     under the same name takes its partitions back at once instead of after the session timeout
   * @param workersPerConnection threads per SMTP connection at least; more when the in-doubt window
   *     has room for more attempts than that
   * @param watch told when the consumer thread hands out jobs and commits, and when it polls
   * @param sendWatch told when an SMTP attempt starts or ends, idle while none is under way: the
   *     workers together count as stuck once none has started or finished an attempt within the limit
   */
  public Mailer(KafkaSettings kafka, String groupId, String clientId, boolean staticMember, int concurrency,
      int workersPerConnection, Delivery delivery, DeliveryLogView logView, DeliveryLogWriter logWriter,
      StallWatch watch, StallWatch sendWatch) {
    this(kafka.topics().deliveries(), clientId, () -> kafkaConsumer(kafka, groupId, clientId, staticMember),
        workers(concurrency, workersPerConnection, delivery.inDoubtLimit()), delivery,
        new Log() {
          @Override
          public boolean syncToEnd(Duration timeout) throws InterruptedException {
            return logView.syncToEnd(timeout);
          }

          @Override
          public void flush() {
            logWriter.flush();
          }
        }, watch, sendWatch);
  }

  /** The parts, for tests that drive the decisions with a {@code MockConsumer}. */
  Mailer(String topic, String clientId, Supplier<Consumer<String, DeliveryJob>> consumers, int workers,
      Deliverer delivery, Log deliveryLog, StallWatch watch, StallWatch sendWatch) {
    this.topic = requireNonNull(topic, "topic");
    this.clientId = requireNonNull(clientId, "clientId");
    this.consumers = requireNonNull(consumers, "consumers");
    this.delivery = requireNonNull(delivery, "delivery");
    this.deliveryLog = requireNonNull(deliveryLog, "deliveryLog");
    this.watch = requireNonNull(watch, "watch");
    this.sendWatch = requireNonNull(sendWatch, "sendWatch");
    // enough queued work to keep every worker busy, little enough to re-read after a crash
    this.maxOpenJobs = Math.max(100, workers * 10);
    this.workers = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, clientId + "-smtp");
      t.setDaemon(true);
      return t;
    });
    this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, clientId + "-retries");
      t.setDaemon(true);
      return t;
    });
    // a close waits this long for the consumer to hand its partitions over (see Rebalance)
    this.thread = new PollingThread(clientId, "the mailer", Duration.ofSeconds(30), this::run);
  }

  /**
   * Threads enough to keep the in-doubt window busy: one per connection in SMTP, and one for each
   * further permit that can be waiting for its intent's acknowledgement or a connection (up to eight
   * per connection: beyond that the threads only wait for the same connections).
   */
  static int workers(int concurrency, int workersPerConnection, int inDoubtLimit) {
    return Math.max(concurrency * workersPerConnection, concurrency + Math.min(inDoubtLimit, 8 * concurrency));
  }

  private static Consumer<String, DeliveryJob> kafkaConsumer(KafkaSettings kafka, String groupId, String clientId,
      boolean staticMember) {
    Properties props = ClientProperties.groupConsumer(kafka, clientId, groupId);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
    if (staticMember) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, clientId);
    }
    return new KafkaConsumer<>(props, new StringDeserializer(),
        JsonSerde.deserializer(new EventJson(), DeliveryJob.class));
  }

  public Mailer start() {
    thread.start();
    return this;
  }

  /** How many {@code deliveries} partitions this mailer sends for right now. */
  public int assignedPartitions() {
    return assigned;
  }

  /** Waits until the consumer is subscribed and polling; false on timeout. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    return thread.awaitRunning(timeout);
  }

  /** Whether the consumer is polling: false before that, once closed or stopped by a fault. */
  public boolean isRunning() {
    return thread.isRunning();
  }

  private void run() {
    try (Consumer<String, DeliveryJob> c = consumers.get()) {
      thread.wakeUpWith(c::wakeup);
      if (thread.isClosing()) {
        return;
      }
      c.subscribe(List.of(topic), new Rebalance(c));
      thread.markRunning();
      while (!thread.isClosing()) {
        ConsumerRecords<String, DeliveryJob> records;
        watch.idle();
        try {
          records = c.poll(Duration.ofMillis(100));
        } catch (RecordDeserializationException e) {
          log.error("Skipping an unreadable delivery job at {} offset {}: {}", e.topicPartition(), e.offset(),
              e.getMessage());
          c.seek(e.topicPartition(), e.offset() + 1);
          continue;
        }
        watch.working("handing out delivery jobs and committing their progress");
        for (ConsumerRecord<String, DeliveryJob> record : records) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (record.value() == null) {
            offsets.passed(partition, record.offset());
            continue;
          }
          if (!mailable(record.value())) {
            offsets.passed(partition, record.offset());
            // written by a broken or older program: no SMTP attempt could ever succeed, and an
            // address with line breaks, a display name or a list must not reach SMTP at all
            log.error("Skipping the delivery job at {} offset {}: its address is not a single plain address mail "
                + "can be sent to", partition, record.offset());
            continue;
          }
          offsets.opened(partition, record.offset());
          submit(record.value(), partition, record.offset());
        }
        settleFinished();
        // back-pressure: stop fetching while enough work is waiting
        if (offsets.openJobs() >= maxOpenJobs) {
          c.pause(c.assignment());
        } else if (!c.paused().isEmpty()) {
          c.resume(c.paused());
        }
        if (System.nanoTime() - lastCommitNanos > COMMIT_INTERVAL.toNanos()) {
          try {
            commit(c, owned);
          } catch (RebalanceInProgressException | CommitFailedException | RetriableException
              | PublisherException e) {
            // a mailer joining or leaving, or the delivery log briefly unwritable: the offsets are
            // committed at the next interval; sending goes on (the log still settles every job)
            log.warn("Could not commit mailer progress now, trying again shortly: {}", e.getMessage());
          }
        }
      }
    }
  }

  /** Whether the job's address is one the fan-out could have written: normalised, single, plain. */
  private static boolean mailable(DeliveryJob job) {
    return EmailAddress.normalise(job.email()).equals(Optional.of(job.email()));
  }

  /** A job read again after a rebalance while its first reading still waits for a retry is not doubled. */
  private void submit(DeliveryJob job, TopicPartition partition, long offset) {
    if (inProgress.putIfAbsent(new JobRef(partition, offset), Boolean.TRUE) != null) {
      return;
    }
    dispatch(job, partition, offset);
  }

  private void dispatch(DeliveryJob job, TopicPartition partition, long offset) {
    try {
      workers.execute(() -> attempt(job, partition, offset));
    } catch (RejectedExecutionException e) {
      // shutting down: the job stays open and is read again by the next owner
      inProgress.remove(new JobRef(partition, offset));
    }
  }

  private void attempt(DeliveryJob job, TopicPartition partition, long offset) {
    JobRef key = new JobRef(partition, offset);
    AtomicInteger busy = running.computeIfAbsent(partition, p -> new AtomicInteger());
    // counted before the ownership check: a revocation either sees this attempt or stops it
    busy.incrementAndGet();
    Delivery.Result result;
    try {
      if (!owned.contains(partition)) {
        inProgress.remove(key);
        return; // the partition moved to another mailer, which reads this job again
      }
      String deliveryKey = job.deliveryKey();
      if (!deliveringKeys.add(deliveryKey)) {
        // a second job for the same subscriber and mailing (a post fanned out twice, a job read
        // again) must not look at the log while the first is in SMTP: both would find nothing
        // there and both would send. It waits, then finds the first one's outcome.
        result = Delivery.Result.retryAfter(SAME_KEY_WAIT);
      } else {
        sendingChanged(1);
        try {
          result = delivery.deliver(job);
        } finally {
          sendingChanged(-1);
          deliveringKeys.remove(deliveryKey);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inProgress.remove(key);
      return;
    } catch (RuntimeException e) {
      // Kafka or rendering trouble: the job stays open; try it again in a while
      log.error("Delivering '{}' to {} failed: {}; trying again in 5 s", job.slug(), job.email(), e.getMessage(), e);
      result = Delivery.Result.retryAfter(Duration.ofSeconds(5));
    } finally {
      synchronized (busy) {
        busy.decrementAndGet();
        busy.notifyAll();
      }
    }
    Duration wait = result.retryAfter();
    switch (result.kind()) {
      // finished once the outcome is durable: only then may the partition commit past the job
      case DONE -> result.recorded().whenComplete((ignored, error) -> {
        inProgress.remove(key);
        if (error == null) {
          finished.add(key);
        } // else the writer closed first: the job stays open and the next owner reads it again
      });
      // the next attempt starts once the note of this one is durable, so the log keeps their order
      case RETRY -> result.recorded().whenComplete((ignored, error) -> {
        if (error != null) {
          inProgress.remove(key);
          return;
        }
        try {
          retries.schedule(() -> dispatch(job, partition, offset), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          inProgress.remove(key);
        }
      });
      case ABANDONED -> inProgress.remove(key); // left open on purpose
      default -> throw new IllegalStateException("unknown result " + result.kind());
    }
  }

  /**
   * An attempt started or ended: progress. With none under way the workers wait, which is never a
   * stall; one connection hanging while others go on is not one either (its SMTP timeout ends it).
   */
  private void sendingChanged(int by) {
    synchronized (sendWatch) {
      sending += by;
      if (sending == 0) {
        sendWatch.idle();
      } else {
        sendWatch.working("sending mail to the SMTP server");
      }
    }
  }

  private void settleFinished() {
    JobRef done;
    while ((done = finished.poll()) != null) {
      offsets.settled(done.partition(), done.offset());
    }
  }

  /** Commits, per partition, up to the oldest job still open, once the outcomes so far are acknowledged. */
  private void commit(Consumer<String, DeliveryJob> c, Collection<TopicPartition> which) {
    lastCommitNanos = System.nanoTime();
    // outcomes first, then offsets: a crash in between only re-reads jobs the log already settles.
    // The outcomes Kafka takes during the flush settle their jobs, so they are committed now too
    deliveryLog.flush();
    settleFinished();
    for (TopicPartition partition : which) {
      // only where records were read: there the position is known, and asking it never waits
      if (offsets.hasRead(partition)) {
        offsets.positioned(partition, c.position(partition));
      }
    }
    Map<TopicPartition, OffsetAndMetadata> upTo = offsets.toCommit(which);
    if (upTo.isEmpty()) {
      return;
    }
    c.commitSync(upTo);
    offsets.committed(upTo);
  }

  /** Hands partitions over cleanly: running SMTP attempts end first, then what is settled is committed. */
  private final class Rebalance implements ConsumerRebalanceListener {
    private final Consumer<String, DeliveryJob> c;

    Rebalance(Consumer<String, DeliveryJob> c) {
      this.c = c;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      owned.removeAll(partitions);
      assigned = owned.size();
      for (TopicPartition partition : partitions) {
        AtomicInteger busy = running.get(partition);
        if (busy == null) {
          continue;
        }
        // an attempt under way must finish before the new owner reads the log, or it would send again
        synchronized (busy) {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (busy.get() > 0 && System.nanoTime() < deadline) {
            try {
              busy.wait(100);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
          }
        }
      }
      try {
        commit(c, partitions);
      } catch (RuntimeException e) {
        log.warn("Could not commit before handing over partitions: {}", e.getMessage());
      }
      offsets.forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        // the previous owner's outcomes must be in our copy of the log before we look anything up
        try {
          if (!deliveryLog.syncToEnd(Duration.ofSeconds(60))) {
            log.warn("The delivery log did not catch up within 60 s; continuing with what is known");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      owned.addAll(partitions);
      assigned = owned.size();
      if (!partitions.isEmpty()) {
        log.info("Mailer {} now sends for {} partition(s) of {}", clientId, owned.size(), topic);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // no commit possible any more: the new owner re-reads everything open
      owned.removeAll(partitions);
      assigned = owned.size();
      offsets.forget(partitions);
    }
  }

  @Override
  public void close() {
    // SMTP attempts end first: the consumer hands its partitions over only once none is under way
    delivery.stop();
    retries.shutdownNow();
    thread.close();
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
