package dev.pressline.ingest.publish;

import dev.pressline.events.PostEvent;

/** Where post events go. Returns only once the event is safely stored. */
public interface PostSink {

  /**
   * Publishes {@code event} keyed by its slug and waits until it is acknowledged.
   *
   * @throws PublishFailedException when it could not be stored; the caller keeps the file and retries
   */
  void publish(PostEvent event);
}
