package dev.pressline.feed;

/** The root of every failure feed-service reports; subclasses and messages carry the context. */
public class FeedException extends RuntimeException {
  public FeedException(String message) {
    super(message);
  }

  public FeedException(String message, Throwable cause) {
    super(message, cause);
  }
}
