package dev.pressline.publisher.deliverylog;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.EventJson;
import dev.pressline.publisher.PublisherException;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes delivery outcomes to the compacted {@code delivery-log} and into this instance's view of it. */
public final class DeliveryLogWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeliveryLogWriter.class);
  /** Wait before an outcome Kafka did not take is offered again. */
  private static final long RETRY_MILLIS = 1_000;

  private final KafkaProducer<String, DeliveryRecord> producer;
  private final String topic;
  private final DeliveryLogView view;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final ScheduledExecutorService retries;
  private volatile boolean closed;

  public DeliveryLogWriter(KafkaSettings kafka, String clientId, DeliveryLogView view) {
    Properties props = ClientProperties.producer(kafka, clientId);
    // the mailers' workers write an entry or two per message, many at once: waiting a few
    // milliseconds gathers them into one request per broker instead of one request for every few
    // entries, which costs the broker and this producer's thread less than the entries themselves.
    // Records of a few hundred bytes are not compressed
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), JsonSerde.serializer(new EventJson()));
    this.topic = kafka.topics().deliveryLog();
    this.view = requireNonNull(view, "view");
    this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, clientId + "-retries");
      t.setDaemon(true);
      return t;
    });
  }

  /** Writes and waits for Kafka's acknowledgement: used before an SMTP conversation starts. */
  public void writeAcknowledged(DeliveryRecord record) {
    try {
      producer.send(entry(record)).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublisherException("interrupted while logging delivery " + record.key(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new PublisherException("Kafka did not take delivery log entry " + record.key() + ": " + e.getMessage(), e);
    }
    view.remember(record);
  }

  /**
   * Writes without waiting; {@link #flush} before committing the jobs' offsets. The result completes
   * when Kafka has taken the record (exceptionally when it has not).
   */
  public CompletableFuture<Void> write(DeliveryRecord record) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    producer.send(entry(record), (metadata, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
        written.completeExceptionally(error);
      } else {
        written.complete(null);
      }
    });
    view.remember(record);
    return written;
  }

  /**
   * Writes without waiting, and offers the entry again every second until Kafka has taken it: an
   * outcome that must become durable before its place in the {@code delivery.InDoubtWindow} is given back.
   * The result completes once Kafka has the entry, exceptionally only when this writer closed first.
   */
  public CompletableFuture<Void> writeDurably(DeliveryRecord record) {
    CompletableFuture<Void> durable = new CompletableFuture<>();
    view.remember(record);
    offer(record, durable);
    return durable;
  }

  private void offer(DeliveryRecord record, CompletableFuture<Void> durable) {
    if (closed) {
      durable.completeExceptionally(new PublisherException("the delivery log writer closed before Kafka took "
          + record.key()));
      return;
    }
    try {
      producer.send(entry(record), (metadata, error) -> {
        if (error == null) {
          durable.complete(null);
          return;
        }
        // not on the producer's own thread: its callbacks must not wait or send
        log.warn("Kafka did not take the delivery log entry for {} ({}); offering it again in {} ms", record.key(),
            error.getMessage(), RETRY_MILLIS);
        try {
          retries.schedule(() -> offer(record, durable), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          durable.completeExceptionally(error);
        }
      });
    } catch (RuntimeException e) {
      // the producer closed or could not serialise: nothing more will come of this entry
      durable.completeExceptionally(e);
    }
  }

  /** Waits for every write so far; throws when one of them was not taken. */
  public void flush() {
    producer.flush();
    Exception error = failure.getAndSet(null);
    if (error != null) {
      throw new PublisherException("Kafka did not take a delivery log entry: " + error.getMessage(), error);
    }
  }

  /** The entry with its stamp, by which this instance's view skips it when it comes back from the topic. */
  private ProducerRecord<String, DeliveryRecord> entry(DeliveryRecord record) {
    return new ProducerRecord<>(topic, null, record.key(), record, EntryStamp.headersOf(record));
  }

  @Override
  public void close() {
    closed = true;
    retries.shutdownNow();
    producer.close();
  }
}
