package dev.pressline.publisher.subscribe;

import dev.pressline.publisher.PublisherException;

/** Text that is not an address mail can be sent to. */
public final class InvalidAddressException extends PublisherException {
  public InvalidAddressException(String raw) {
    super("'" + (raw == null ? "" : raw.length() > 80 ? raw.substring(0, 80) + "…" : raw)
        + "' is not an email address we can send to");
  }
}
