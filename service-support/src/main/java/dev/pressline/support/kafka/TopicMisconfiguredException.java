package dev.pressline.support.kafka;

/**
 * The pipeline's topics exist but are set up so that a service must not run on them: fewer replicas
 * than PRESSLINE_REPLICATION_FACTOR asks for, or a {@code min.insync.replicas} that makes
 * {@code acks=all} meaningless or impossible. Unlike {@link KafkaUnavailableException}, waiting does
 * not help: an operator has to change the topics or the setting.
 */
public final class TopicMisconfiguredException extends RuntimeException {
  public TopicMisconfiguredException(String message) {
    super(message);
  }

  public TopicMisconfiguredException(String message, Throwable cause) {
    super(message, cause);
  }
}
