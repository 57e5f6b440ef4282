package dev.pressline.events;

import static java.util.Objects.requireNonNull;

/**
 * A file in the shared media store. The bytes never travel on Kafka; only this reference does.
 *
 * @param fileName content-addressed name inside the media store, e.g. {@code 3f2a…9c.mp3}
 * @param mimeType e.g. {@code audio/mpeg}
 * @param byteSize exact length in bytes (podcast enclosures must state it)
 * @param durationSeconds playing time for audio, or null when unknown or not audio
 */
public record MediaRef(String fileName, String mimeType, long byteSize, Long durationSeconds) {
  public MediaRef {
    requireNonNull(fileName, "fileName");
    requireNonNull(mimeType, "mimeType");
    if (byteSize < 0) {
      throw new IllegalArgumentException("byteSize must not be negative");
    }
  }
}
