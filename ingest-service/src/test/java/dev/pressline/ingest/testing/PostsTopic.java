package dev.pressline.ingest.testing;

import dev.pressline.events.EventJson;
import dev.pressline.events.PostEvent;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the posts topic from the beginning, as a test sees it. */
public final class PostsTopic implements AutoCloseable {

  private final KafkaConsumer<String, PostEvent> consumer;
  private final List<PostEvent> events = new ArrayList<>();

  public PostsTopic(KafkaSettings kafka) {
    consumer = new KafkaConsumer<>(ClientProperties.reader(kafka, "test-reader"), new StringDeserializer(),
        JsonSerde.deserializer(new EventJson(), PostEvent.class));
    TopicPartition p = new TopicPartition(kafka.topics().posts(), 0);
    consumer.assign(List.of(p));
    consumer.seekToBeginning(List.of(p));
  }

  /** Every event read so far, after reading what has arrived since the last call. */
  public List<PostEvent> events() {
    for (ConsumerRecord<String, PostEvent> r : consumer.poll(Duration.ofMillis(200))) {
      if (!r.key().equals(r.value().slug())) {
        throw new AssertionError("key " + r.key() + " is not the slug " + r.value().slug());
      }
      events.add(r.value());
    }
    return List.copyOf(events);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
