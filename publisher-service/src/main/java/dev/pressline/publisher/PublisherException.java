package dev.pressline.publisher;

/** Root of everything publisher-service reports as a failure; subclasses carry the context. */
public class PublisherException extends RuntimeException {
  public PublisherException(String message) {
    super(message);
  }

  public PublisherException(String message, Throwable cause) {
    super(message, cause);
  }
}
