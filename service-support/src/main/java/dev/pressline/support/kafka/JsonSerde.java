package dev.pressline.support.kafka;

import dev.pressline.events.EventJson;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer and deserializer for one event type, in the shared JSON form. */
public final class JsonSerde {

  private JsonSerde() {}

  public static <T> Serializer<T> serializer(EventJson json) {
    return (topic, event) -> event == null ? null : json.write(event);
  }

  /** Reads values of {@code type}; a tombstone (null value) stays null. */
  public static <T> Deserializer<T> deserializer(EventJson json, Class<T> type) {
    return (topic, bytes) -> bytes == null ? null : json.read(bytes, type);
  }
}
