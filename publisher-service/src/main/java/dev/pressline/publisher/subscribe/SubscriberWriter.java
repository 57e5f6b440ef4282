package dev.pressline.publisher.subscribe;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.EventJson;
import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.PublisherException;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** Records subscriber state changes on the compacted {@code subscribers} topic, keyed by address. */
public final class SubscriberWriter implements AutoCloseable {

  private final KafkaProducer<String, SubscriberEvent> producer;
  private final String topic;
  private final Clock clock;
  private final Duration ackTimeout;

  public SubscriberWriter(KafkaSettings kafka, String clientId, Clock clock) {
    this(kafka, clientId, clock, Duration.ofSeconds(60));
  }

  /** @param ackTimeout how long {@link #write} waits for the topic's metadata and for Kafka's acknowledgement */
  SubscriberWriter(KafkaSettings kafka, String clientId, Clock clock, Duration ackTimeout) {
    this.ackTimeout = requireNonNull(ackTimeout, "ackTimeout");
    Properties props = ClientProperties.producer(kafka, clientId);
    // a write waits at most this long for the topic's metadata too, not only for the acknowledgement
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ackTimeout.toMillis()));
    this.producer = new KafkaProducer<>(props, new StringSerializer(), JsonSerde.serializer(new EventJson()));
    this.topic = kafka.topics().subscribers();
    this.clock = requireNonNull(clock, "clock");
  }

  /** Writes the new state and returns once Kafka has acknowledged it. */
  public SubscriberEvent write(String email, SubscriberStatus status, String source) {
    SubscriberEvent event = new SubscriberEvent(SubscriberEvent.SCHEMA_VERSION, email, status, clock.instant(), source);
    await(producer.send(new ProducerRecord<>(topic, email, event)), email);
    return event;
  }

  /** Writes without waiting; {@link #flush} waits for all of them (bulk imports). */
  public Future<RecordMetadata> writeAsync(String email, SubscriberStatus status, String source) {
    SubscriberEvent event = new SubscriberEvent(SubscriberEvent.SCHEMA_VERSION, email, status, clock.instant(), source);
    return producer.send(new ProducerRecord<>(topic, email, event));
  }

  public void flush() {
    producer.flush();
  }

  private void await(Future<RecordMetadata> sent, String email) {
    try {
      sent.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublisherException("interrupted while recording subscriber " + email, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new PublisherException("Kafka did not take the change for subscriber " + email + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
