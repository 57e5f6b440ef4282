package dev.pressline.support.kafka;

/** Kafka could not be reached or refused an administrative request. */
public final class KafkaUnavailableException extends RuntimeException {
  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
