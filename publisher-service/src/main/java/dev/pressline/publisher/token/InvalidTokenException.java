package dev.pressline.publisher.token;

import dev.pressline.publisher.PublisherException;

/** A link token that is forged, damaged, expired or meant for something else. */
public final class InvalidTokenException extends PublisherException {
  public InvalidTokenException(String reason) {
    super(reason);
  }
}
