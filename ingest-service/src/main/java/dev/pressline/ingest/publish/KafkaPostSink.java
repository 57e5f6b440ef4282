package dev.pressline.ingest.publish;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.EventJson;
import dev.pressline.events.PostEvent;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes post events to the {@code posts} topic with an idempotent {@code acks=all} producer; the
 * caller learns of each acknowledgement through the {@link Ack} it gets back, so many sends overlap. After a failure the producer is replaced, so an outage that
 * outlived the producer's own retries leaves nothing half-broken behind.
 */
public final class KafkaPostSink implements PostSink, AutoCloseable {

  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaSettings kafka;
  private final EventJson json;
  private Producer<String, PostEvent> producer;

  public KafkaPostSink(KafkaSettings kafka, EventJson json) {
    this.kafka = requireNonNull(kafka, "kafka");
    this.json = requireNonNull(json, "json");
  }

  @Override
  public synchronized Ack send(PostEvent event) {
    Future<RecordMetadata> sent;
    try {
      sent = producer().send(new ProducerRecord<>(kafka.topics().posts(), event.slug(), event));
    } catch (RuntimeException e) {
      // no metadata within max.block.ms, or the producer is closing: Kafka is not there
      discardProducer();
      return new Failed(new PublishFailedException(event.slug(), e));
    }
    return new Sent(sent, event.slug());
  }

  /** An acknowledgement still to come from the broker. */
  private final class Sent implements Ack {
    private final Future<RecordMetadata> sent;
    private final String slug;

    Sent(Future<RecordMetadata> sent, String slug) {
      this.sent = sent;
      this.slug = slug;
    }

    @Override
    public void await() {
      KafkaPostSink.this.await(sent, slug);
    }

    @Override
    public boolean isDone() {
      return sent.isDone();
    }
  }

  /** A send that failed before it reached the producer's buffer. */
  private record Failed(PublishFailedException failure) implements Ack {
    @Override
    public void await() {
      throw failure;
    }

    @Override
    public boolean isDone() {
      return true;
    }
  }

  private void await(Future<RecordMetadata> sent, String slug) {
    try {
      sent.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      discardProducer();
      throw new PublishFailedException(slug, e);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof RecordTooLargeException)) {
        discardProducer();
      }
      // a record too large stays too large: PublishFailedException.isTooLarge() tells the caller so
      throw new PublishFailedException(slug, e);
    } catch (TimeoutException e) {
      discardProducer();
      throw new PublishFailedException(slug, e);
    }
  }

  private Producer<String, PostEvent> producer() {
    if (producer == null) {
      Properties props = ClientProperties.producer(kafka, "ingest-service");
      // an outage shows within seconds, so files wait in the inbox and the service backs off
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
      props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "8000");
      props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
      // many posts dropped at once go out many to a request: a post event is some 10 KB compressed,
      // so the default 16 KB batch made one request (and one broker round trip) per post
      props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
      producer = new KafkaProducer<>(props, new StringSerializer(), JsonSerde.serializer(json));
    }
    return producer;
  }

  /** After a failure the producer is replaced before the next send. */
  private synchronized void discardProducer() {
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }
}
