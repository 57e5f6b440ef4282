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

    /**
     * Takes the event back if it has not gone out to Kafka yet, so no one waits for it to be tried;
     * {@link #await()} then fails and the file stays in the inbox.
     *
     * @return whether it was taken back
     */
    default boolean withdraw() {
      return false;
    }
  }

  /** Sends {@code event} keyed by its slug; events sent one after another are stored in that order. */
  Ack send(PostEvent event);

  /** Sends {@code event} and waits until it is acknowledged. */
  default void publish(PostEvent event) {
    send(event).await();
  }
}
