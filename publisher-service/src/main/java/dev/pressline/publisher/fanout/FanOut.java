package dev.pressline.publisher.fanout;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.DeliveryJob;
import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.events.EventJson;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.publisher.catalogue.PostCatalogue;
import dev.pressline.publisher.deliverylog.DeliveryLogView;
import dev.pressline.publisher.metrics.PublisherMetrics;
import dev.pressline.publisher.subscribe.SubscriberList;
import dev.pressline.support.health.StallWatch;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.lifecycle.PollingThread;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each new post into one delivery job per confirmed subscriber (read-process-write): the jobs,
 * a fan-out marker on the delivery log and the consumed {@code posts} offset commit in one Kafka
 * transaction, so a crash neither skips nor repeats a fan-out.
 *
 * <p>The marker (delivery-log key {@code "<slug> *"}) says what became of the post: SENDING while it
 * is scheduled for later, SENT once fanned out, FAILED when it was withdrawn before its time. A
 * scheduled post waits in memory; whoever owns the {@code posts} partition rebuilds that list from
 * the SENDING markers, so a restart does not lose it.
 */
public final class FanOut implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FanOut.class);

  private final KafkaSettings kafka;
  private final String groupId;
  private final String transactionalId;
  private final boolean staticMember;
  /** Made and initialised by {@link #fencePreviousRun}; used and closed by the fan-out thread. */
  private KafkaProducer<String, Object> producer;
  private final PostCatalogue catalogue;
  private final SubscriberList subscribers;
  private final DeliveryLogView logView;
  private final PublisherMetrics metrics;
  private final Clock clock;
  private final StallWatch watch;
  private final PollingThread thread;
  /** Scheduled posts by slug, with their publication time; touched only by this fan-out's thread. */
  private final Map<String, Instant> scheduled = new HashMap<>();
  /** Posts this thread fanned out, in case the log copy has not seen its own marker yet. */
  private final Set<String> done = new HashSet<>();

  /**
   * @param staticMember join the group as the static member {@code transactionalId} (see {@code Mailer})
   * @param watch told when a batch of posts or a scheduled post is fanned out and when the fan-out
   *     waits for posts, so that a fan-out that never finishes (a commit retried for ever) shows on
   *     {@code /health/live}
   */
  public FanOut(KafkaSettings kafka, String groupId, String transactionalId, boolean staticMember,
      PostCatalogue catalogue, SubscriberList subscribers, DeliveryLogView logView, PublisherMetrics metrics,
      Clock clock, StallWatch watch) {
    this.kafka = requireNonNull(kafka, "kafka");
    this.groupId = requireNonNull(groupId, "groupId");
    this.transactionalId = requireNonNull(transactionalId, "transactionalId");
    this.staticMember = staticMember;
    this.catalogue = requireNonNull(catalogue, "catalogue");
    this.subscribers = requireNonNull(subscribers, "subscribers");
    this.logView = requireNonNull(logView, "logView");
    this.metrics = requireNonNull(metrics, "metrics");
    this.clock = requireNonNull(clock, "clock");
    this.watch = requireNonNull(watch, "watch");
    // a commit retried while the broker is away may take a while to give up when asked
    this.thread = new PollingThread(transactionalId, "the fan-out", Duration.ofSeconds(30), this::run);
  }

  public FanOut start() {
    thread.start();
    return this;
  }

  /** Waits until the consumer is subscribed and polling; false on timeout. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    return thread.awaitRunning(timeout);
  }

  /** Whether the fan-out is subscribed and polling: false before that, once closed or stopped by a fault. */
  public boolean isRunning() {
    return thread.isRunning();
  }

  private Properties consumerProperties() {
    Properties props = ClientProperties.groupConsumer(kafka, transactionalId, groupId);
    if (staticMember) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, transactionalId);
    }
    return props;
  }

  /**
   * Fences this instance's previous run: a transaction a crash left open is aborted now, not when it
   * times out. Called before the delivery log is read: an open transaction holds back every
   * read_committed reader at its first record, so the log would look complete while missing what
   * the mailers wrote after it, and a mailer could send again without knowing. Idempotent.
   */
  public synchronized FanOut fencePreviousRun() {
    if (producer == null) {
      Properties producerProps = ClientProperties.transactionalProducer(kafka, transactionalId, transactionalId);
      // a crashed instance's open transaction holds back every read_committed reader until it times out
      producerProps.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "15000");
      KafkaProducer<String, Object> created =
          new KafkaProducer<>(producerProps, new StringSerializer(), JsonSerde.serializer(new EventJson()));
      try {
        created.initTransactions();
      } catch (RuntimeException e) {
        created.close(Duration.ZERO);
        throw e;
      }
      producer = created;
    }
    return this;
  }

  private void run() {
    EventJson json = new EventJson();
    try (KafkaProducer<String, Object> producer = fencePreviousRun().producer;
        KafkaConsumer<String, PostEvent> c = new KafkaConsumer<>(consumerProperties(), new StringDeserializer(),
            JsonSerde.deserializer(json, PostEvent.class))) {
      thread.wakeUpWith(c::wakeup);
      if (thread.isClosing()) {
        return;
      }
      c.subscribe(List.of(kafka.topics().posts()), new Rebalance());
      thread.markRunning();
      while (!thread.isClosing()) {
        ConsumerRecords<String, PostEvent> records;
        watch.idle();
        try {
          records = c.poll(Duration.ofMillis(200));
        } catch (RecordDeserializationException e) {
          log.error("Skipping an unreadable post event at {} offset {}: {}", e.topicPartition(), e.offset(),
              e.getMessage());
          c.seek(e.topicPartition(), e.offset() + 1);
          continue;
        }
        if (!records.isEmpty()) {
          watch.working("fanning out " + records.count() + " post event(s)");
          processBatch(producer, c, records);
        }
        fanOutDue(producer);
      }
    } catch (ProducerFencedException e) {
      log.error("Another publisher instance took over the fan-out with the same id; this one stops: {}",
          e.getMessage());
    }
  }

  private void processBatch(KafkaProducer<String, Object> producer, KafkaConsumer<String, PostEvent> c,
      ConsumerRecords<String, PostEvent> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Set<String> fannedOut = new HashSet<>();
    Map<String, Instant> newlyScheduled = new HashMap<>();
    Set<String> unscheduled = new HashSet<>();
    producer.beginTransaction();
    try {
      for (ConsumerRecord<String, PostEvent> record : records) {
        offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        PostEvent post = record.value();
        if (post == null) {
          continue;
        }
        handle(producer, post, fannedOut, newlyScheduled, unscheduled);
      }
      producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
      commit(producer);
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw e;
    } catch (KafkaException e) {
      log.warn("Fan-out transaction aborted ({}); the posts will be read again", e.getMessage());
      producer.abortTransaction();
      for (TopicPartition partition : records.partitions()) {
        c.seek(partition, records.records(partition).get(0).offset());
      }
      return;
    }
    done.addAll(fannedOut);
    scheduled.putAll(newlyScheduled);
    unscheduled.forEach(scheduled::remove);
  }

  private void handle(KafkaProducer<String, Object> producer, PostEvent post, Set<String> fannedOut,
      Map<String, Instant> newlyScheduled, Set<String> unscheduled) {
    String slug = post.slug();
    if (post.change() != PostChange.PUBLISHED) {
      boolean waiting = scheduled.containsKey(slug) || newlyScheduled.containsKey(slug);
      if (waiting) {
        // a correction may move the publication time of a post that is still waiting
        newlyScheduled.put(slug, post.publishAt());
      }
      if (post.change() == PostChange.UPDATED && post.resend()) {
        resend(producer, post, waiting, fannedOut);
        return;
      }
      log.info("Post '{}' was {} (revision {}): no email for that", slug,
          post.change() == PostChange.UPDATED ? "updated" : "retracted", post.revision());
      return;
    }
    if (!post.email()) {
      log.info("Post '{}' is published with email switched off: no newsletter", slug);
      return;
    }
    if (alreadyHandled(slug) || fannedOut.contains(slug)) {
      log.info("Post '{}' was already sent to subscribers; not sending it again", slug);
      return;
    }
    Instant now = clock.instant();
    if (post.publishAt().isAfter(now)) {
      marker(producer, slug, DeliveryStatus.SENDING, "scheduled for " + post.publishAt());
      newlyScheduled.put(slug, post.publishAt());
      log.info("Post '{}' is scheduled for {}: the newsletter goes out then", slug, post.publishAt());
      return;
    }
    fanOut(producer, post, false);
    fannedOut.add(slug);
    unscheduled.add(slug);
  }

  /**
   * An update whose front matter asks for it to be emailed again: a second mailing with delivery-log
   * entries of its own ({@code <slug>@r<revision>}), once per revision, to everyone confirmed now.
   */
  private void resend(KafkaProducer<String, Object> producer, PostEvent post, boolean waiting, Set<String> fannedOut) {
    String slug = post.slug();
    String mailing = DeliveryRecord.resendMailing(slug, post.revision());
    if (!post.email()) {
      log.info("Update of '{}' (revision {}) asks to be emailed again, but its email is switched off: no newsletter",
          slug, post.revision());
    } else if (waiting || post.publishAt().isAfter(clock.instant())) {
      log.info("Update of '{}' (revision {}) asks to be emailed again; the post is still scheduled, so its "
          + "newsletter at {} carries this update", slug, post.revision(), post.publishAt());
    } else if (alreadyHandled(mailing) || fannedOut.contains(mailing)) {
      log.info("Update of '{}' (revision {}) was already emailed again; not a third time", slug, post.revision());
    } else {
      fanOut(producer, post, true);
      fannedOut.add(mailing);
    }
  }

  /** Fans out the scheduled posts whose time has come, each in its own transaction. */
  private void fanOutDue(KafkaProducer<String, Object> producer) {
    if (scheduled.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    for (Map.Entry<String, Instant> entry : List.copyOf(scheduled.entrySet())) {
      if (entry.getValue().isAfter(now)) {
        continue;
      }
      String slug = entry.getKey();
      Optional<PostEvent> latest = catalogue.get(slug);
      if (latest.isEmpty()) {
        // the catalogue is filled by another thread and may not have this post yet: look again
        // next round; only a RETRACTED event means the post was withdrawn
        continue;
      }
      watch.working("fanning out the scheduled post '" + slug + "'");
      producer.beginTransaction();
      try {
        if (latest.get().change() == PostChange.RETRACTED) {
          marker(producer, slug, DeliveryStatus.FAILED, "not sent: retracted before its publication time");
          log.info("Scheduled post '{}' was retracted before its time: no newsletter", slug);
        } else if (!latest.get().email()) {
          marker(producer, slug, DeliveryStatus.FAILED, "not sent: email switched off before its time");
          log.info("Scheduled post '{}' had email switched off: no newsletter", slug);
        } else if (latest.get().publishAt().isAfter(now)) {
          producer.abortTransaction();
          scheduled.put(slug, latest.get().publishAt());
          continue;
        } else {
          fanOut(producer, latest.get(), false);
        }
        commit(producer);
      } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
        throw e;
      } catch (KafkaException e) {
        log.warn("Fan-out of scheduled post '{}' aborted ({}); trying again", slug, e.getMessage());
        producer.abortTransaction();
        continue;
      }
      scheduled.remove(slug);
      done.add(slug);
    }
  }

  /**
   * Commits the open transaction. A commit that timed out (the broker away for longer than
   * {@code max.block.ms}) may still take effect, so it is tried again, never aborted: Kafka refuses
   * an abort at that point, and a fan-out that gave up here would stop for good.
   */
  private void commit(KafkaProducer<String, Object> producer) {
    while (true) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        if (thread.isClosing()) {
          throw e;
        }
        log.warn("Committing the fan-out is taking long (is the broker away?); still trying: {}", e.getMessage());
      }
    }
  }

  private void fanOut(KafkaProducer<String, Object> producer, PostEvent post, boolean resend) {
    List<String> recipients = subscribers.confirmed();
    Instant now = clock.instant();
    String topic = kafka.topics().deliveries();
    DeliveryJob job = null;
    for (String email : recipients) {
      job = new DeliveryJob(DeliveryJob.SCHEMA_VERSION, post.slug(), post.revision(), email, now, resend);
      producer.send(new ProducerRecord<>(topic, email, job));
    }
    String mailing = resend ? DeliveryRecord.resendMailing(post.slug(), post.revision()) : post.slug();
    marker(producer, mailing, DeliveryStatus.SENT, "fanned out to " + recipients.size() + " subscribers");
    // counted when written; an aborted transaction is re-read and counted again (rare)
    metrics.fannedOut(recipients.size());
    if (resend) {
      log.info("Update of '{}' ('{}', revision {}) goes out again to {} confirmed subscribers, as its front matter "
          + "asks (mailing '{}')", post.slug(), post.title(), post.revision(), recipients.size(), mailing);
    } else {
      log.info("Post '{}' ('{}') goes out to {} confirmed subscribers", post.slug(), post.title(), recipients.size());
    }
  }

  private void marker(KafkaProducer<String, Object> producer, String slug, DeliveryStatus status, String note) {
    DeliveryRecord marker = new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, slug, DeliveryRecord.MARKER_RECIPIENT,
        status, 0, note, clock.instant());
    producer.send(new ProducerRecord<>(kafka.topics().deliveryLog(), marker.key(), marker));
  }

  private boolean alreadyHandled(String slug) {
    if (done.contains(slug) || scheduled.containsKey(slug)) {
      return true;
    }
    return logView.get(DeliveryRecord.keyOf(slug, DeliveryRecord.MARKER_RECIPIENT)).isPresent();
  }

  /** On taking over {@code posts}: catch up the log copy and rebuild the list of scheduled posts. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      scheduled.clear();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      try {
        if (!logView.syncToEnd(Duration.ofSeconds(60))) {
          log.warn("The delivery log did not catch up within 60 s; continuing with what is known");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      String markerSuffix = DeliveryRecord.keyOf("", DeliveryRecord.MARKER_RECIPIENT);
      for (DeliveryRecord record : logView.withKeys(key -> key.endsWith(markerSuffix))) {
        if (DeliveryRecord.MARKER_RECIPIENT.equals(record.email()) && record.status() == DeliveryStatus.SENDING) {
          Instant when = catalogue.get(record.slug()).map(PostEvent::publishAt).orElse(record.at());
          scheduled.put(record.slug(), when);
        }
      }
      if (!scheduled.isEmpty()) {
        log.info("{} scheduled post(s) waiting for their time: {}", scheduled.size(), scheduled);
      }
    }
  }

  @Override
  public void close() {
    thread.close();
    synchronized (this) {
      // fenced but never started (a start that failed later on): the thread did not take the producer
      if (!thread.wasStarted() && producer != null) {
        producer.close(Duration.ZERO);
      }
    }
  }
}
