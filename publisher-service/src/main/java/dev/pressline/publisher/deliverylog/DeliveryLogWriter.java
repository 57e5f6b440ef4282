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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes delivery outcomes to the compacted {@code delivery-log} and into this instance's view of it. */
public final class DeliveryLogWriter implements AutoCloseable {

  private final KafkaProducer<String, DeliveryRecord> producer;
  private final String topic;
  private final DeliveryLogView view;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public DeliveryLogWriter(KafkaSettings kafka, String clientId, DeliveryLogView view) {
    Properties props = ClientProperties.producer(kafka, clientId);
    // a mailer waits for this acknowledgement before every SMTP attempt: send at once, and do not
    // compress records of a few hundred bytes
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), JsonSerde.serializer(new EventJson()));
    this.topic = kafka.topics().deliveryLog();
    this.view = requireNonNull(view, "view");
  }

  /** Writes and waits for Kafka's acknowledgement: used before an SMTP conversation starts. */
  public void writeAcknowledged(DeliveryRecord record) {
    try {
      producer.send(new ProducerRecord<>(topic, record.key(), record)).get(60, TimeUnit.SECONDS);
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
    producer.send(new ProducerRecord<>(topic, record.key(), record), (metadata, error) -> {
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

  /** Waits for every write so far; throws when one of them was not taken. */
  public void flush() {
    producer.flush();
    Exception error = failure.getAndSet(null);
    if (error != null) {
      throw new PublisherException("Kafka did not take a delivery log entry: " + error.getMessage(), error);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
