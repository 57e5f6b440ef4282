package dev.pressline.publisher.render;

import dev.pressline.publisher.PublisherException;

/** An email could not be rendered or turned into MIME; names the post and the reason. */
public final class RenderException extends PublisherException {
  public RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
