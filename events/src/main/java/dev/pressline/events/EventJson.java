package dev.pressline.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON form of the events. One configured mapper, shared by every producer and consumer, so all
 * services agree on field names, ISO-8601 times and tolerance of fields added in later versions.
 */
public final class EventJson {

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          // ISO-8601 strings, readable on the topic with any console consumer
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          // a newer producer may add fields; older consumers must keep working
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  public byte[] write(Object event) {
    try {
      return mapper.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + event.getClass().getSimpleName(), e);
    }
  }

  public <T> T read(byte[] json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (IOException e) {
      throw new MalformedEventException(type, e);
    }
  }
}
