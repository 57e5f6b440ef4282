package dev.pressline.publisher.delivery;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the messages whose fate a hard kill could leave open. A job takes a permit before it writes
 * its "handing to SMTP" intent and gives it back only once a later entry of the same job (its
 * outcome) is durable on Kafka. So at any moment at most {@code window × connections} messages can
 * have been handed to SMTP without their outcome on record, and after a {@code kill -9} at most that
 * many can go out twice, each named in the delivery log by its intent.
 *
 * <p>A window of 1 per connection means a connection's next message waits, on average, for the
 * broker to acknowledge the last one's outcome; a larger window lets connections carry messages
 * while earlier outcomes are still on their way to Kafka, and lets the producer batch them.
 */
final class InDoubtWindow {

  private final Semaphore permits;
  private final int size;

  /**
   * @param window messages per connection that may be in doubt at once
   * @param connections SMTP connections the mailer uses at once
   */
  InDoubtWindow(int window, int connections) {
    if (window < 1 || connections < 1) {
      throw new IllegalArgumentException("window and connections must be positive: " + window + ", " + connections);
    }
    this.size = Math.multiplyExact(window, connections);
    // fair: a job that waits long is not overtaken for ever by newer ones
    this.permits = new Semaphore(size, true);
  }

  /** Messages that may be in doubt at once: window × connections. */
  int size() {
    return size;
  }

  /** Permits taken and not given back: messages whose intent may be on record without their outcome. */
  int taken() {
    return size - permits.availablePermits();
  }

  /** Waits for room in the window; the permit must be released once the job's outcome is durable. */
  Permit acquire() throws InterruptedException {
    permits.acquire();
    return new Permit();
  }

  /** One message's place in the window; releasing it twice gives back one place only. */
  final class Permit {
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit() {}

    void release() {
      if (released.compareAndSet(false, true)) {
        permits.release();
      }
    }
  }
}
