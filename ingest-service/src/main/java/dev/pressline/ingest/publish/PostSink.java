package dev.pressline.ingest.publish;

import dev.pressline.events.PostEvent;

/** Where post events go. Sending and waiting for the acknowledgement are apart, so sends can overlap. */
public interface PostSink {

  /** The pending acknowledgement of one sent event. */
  interface Ack {
    /**
     * Waits until the event is safely stored.
     *
     * @throws PublishFailedException when it was not; the caller keeps the file and retries later,
     *     unless {@link PublishFailedException#isTooLarge()}
     */
    void await();

    /** Whether {@link #await()} would return (or throw) at once: the broker has answered, or sending failed. */
    boolean isDone();
  }

  /** Sends {@code event} keyed by its slug; events sent one after another are stored in that order. */
  Ack send(PostEvent event);

  /** Sends {@code event} and waits until it is acknowledged. */
  default void publish(PostEvent event) {
    send(event).await();
  }
}
