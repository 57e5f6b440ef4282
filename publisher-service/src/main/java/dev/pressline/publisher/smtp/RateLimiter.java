package dev.pressline.publisher.smtp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Spaces out sends so one mailer hands at most N messages per second to SMTP. */
public final class RateLimiter {

  private final long intervalNanos;
  private long nextFreeNanos = System.nanoTime();

  /** {@code perSecond} of 0 means no limit. */
  public RateLimiter(int perSecond) {
    this.intervalNanos = perSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
  }

  public void acquire() throws InterruptedException {
    if (intervalNanos == 0) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      // no bursts after an idle spell: the slot is at least now
      long slot = Math.max(nextFreeNanos, now);
      nextFreeNanos = slot + intervalNanos;
      wait = slot - now;
    }
    while (wait > 0) {
      long start = System.nanoTime();
      LockSupport.parkNanos(wait);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      wait -= System.nanoTime() - start;
    }
  }
}
