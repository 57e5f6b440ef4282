package dev.pressline.events;

/** A record on a topic that is not a valid event of the expected type. */
public final class MalformedEventException extends RuntimeException {
  public MalformedEventException(Class<?> expected, Throwable cause) {
    super("not a valid " + expected.getSimpleName() + ": " + cause.getMessage(), cause);
  }
}
