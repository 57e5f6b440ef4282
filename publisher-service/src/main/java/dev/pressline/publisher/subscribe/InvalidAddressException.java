package dev.pressline.publisher.subscribe;

import dev.pressline.publisher.PublisherException;

/** Text that is not an address mail can be sent to; the message says why, in plain words. */
public final class InvalidAddressException extends PublisherException {

  private final String reason;

  public InvalidAddressException(String raw) {
    this(raw, "this is not an email address we can send to");
  }

  public InvalidAddressException(String raw, String reason) {
    // the address itself is not repeated: it may hold characters that hide or reorder text
    super(capitalised(reason));
    this.reason = reason;
  }

  /** Why the address was refused, without the address (safe for a log line). */
  public String reason() {
    return reason;
  }

  private static String capitalised(String reason) {
    return Character.toUpperCase(reason.charAt(0)) + reason.substring(1);
  }
}
