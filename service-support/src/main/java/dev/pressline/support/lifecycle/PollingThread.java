package dev.pressline.support.lifecycle;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named daemon thread that runs a long-lived loop (a Kafka consumer's poll loop, a rebuild loop)
 * for the part that owns it, and the lifecycle around it: start, "running" once the loop is ready for
 * work, and a close that stops it and waits for it.
 *
 * <p>The loop ({@code body}) runs until {@link #isClosing()} turns true and then returns. A loop that
 * blocks (in {@code poll}, in {@code wait}) registers a {@link #wakeUpWith wake-up} that makes it
 * return promptly: {@code consumer::wakeup} for a Kafka consumer, a {@code notifyAll} for a monitor.
 * {@link #close()} sets the flag, runs the wake-up and waits up to {@code stopTimeout}; a thread still
 * busy then is interrupted and given a little longer, and one that still does not stop is left behind
 * with a log line that says where it is stuck (it is a daemon, so it never holds the JVM up).
 *
 * <p>Whatever ends the loop while nobody closed it (an exception, or a return) is logged once with
 * the part's name and kept in {@link #failure()}; {@link #isAlive()} is then false, which is what the
 * service's {@code Liveness} check asks. Anything the loop throws once close has begun (a
 * {@code WakeupException}, an {@code InterruptException}) is the expected way out, not a failure.
 */
public final class PollingThread implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PollingThread.class);
  /** How long an interrupted thread gets to stop after it overran {@code stopTimeout}. */
  private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(2);

  private final String part;
  private final Runnable body;
  private final Duration stopTimeout;
  private final Thread thread;
  private final CountDownLatch running = new CountDownLatch(1);
  private volatile boolean markedRunning;
  private volatile boolean ended;
  private volatile boolean closing;
  private volatile Runnable wakeUp = () -> {};
  private volatile Throwable failure;
  private volatile boolean stoppedUnexpectedly;

  /**
   * @param threadName the thread's name, as thread dumps and log lines show it
   * @param part the owner in an operator's words, e.g. "the fan-out"; log lines start with it
   * @param stopTimeout how long {@link #close()} waits for the loop to return before interrupting it
   * @param body the loop; it returns once {@link #isClosing()} is true
   */
  public PollingThread(String threadName, String part, Duration stopTimeout, Runnable body) {
    this.part = requireNonNull(part, "part");
    this.body = requireNonNull(body, "body");
    this.stopTimeout = requireNonNull(stopTimeout, "stopTimeout");
    this.thread = new Thread(this::runBody, requireNonNull(threadName, "threadName"));
    this.thread.setDaemon(true);
  }

  /** Starts the thread; once only. */
  public void start() {
    thread.start();
  }

  /**
   * Sets what makes a blocked loop return once close has begun. The loop sets it as soon as the
   * thing it blocks on exists and checks {@link #isClosing()} right after, so a close that came in
   * between is never missed.
   */
  public void wakeUpWith(Runnable wakeUp) {
    this.wakeUp = requireNonNull(wakeUp, "wakeUp");
  }

  /** Called by the loop once it is ready for work (subscribed, assigned); ends {@link #awaitRunning}. */
  public void markRunning() {
    markedRunning = true;
    running.countDown();
  }

  /**
   * Waits until the loop has {@link #markRunning marked itself running}, or has ended; true only in
   * the first case and while the thread is still alive.
   */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && isRunning();
  }

  /** Whether the loop marked itself running and has not ended. */
  public boolean isRunning() {
    return markedRunning && isAlive();
  }

  /** Whether the thread was started and its loop has not ended. */
  public boolean isAlive() {
    return thread.isAlive() && !ended;
  }

  /** Whether {@link #start()} was called. */
  public boolean wasStarted() {
    return thread.getState() != Thread.State.NEW;
  }

  /** True once close has begun: the loop's signal to return. */
  public boolean isClosing() {
    return closing;
  }

  /** Whether the calling code runs on this thread (a close from inside the loop must not wait for itself). */
  public boolean isCurrentThread() {
    return Thread.currentThread() == thread;
  }

  /** What ended the loop while nobody had closed it; empty while it runs or after a clean stop. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** Whether the loop ended (threw or returned) while nobody had closed it. */
  public boolean stoppedUnexpectedly() {
    return stoppedUnexpectedly;
  }

  private void runBody() {
    try {
      body.run();
      if (!closing) {
        stoppedUnexpectedly = true;
        log.error("{} stopped although nobody closed it; restart the service", capitalised());
      }
    } catch (Throwable e) {
      if (closing) {
        log.debug("{} stopped while closing: {}", capitalised(), e.toString());
      } else {
        failure = e;
        stoppedUnexpectedly = true;
        log.error("{} stopped on an unexpected error: {}; restart the service", capitalised(), e.getMessage(), e);
      }
    } finally {
      ended = true;
      // a loop that ended before it was ready must not keep awaitRunning() waiting
      running.countDown();
    }
  }

  /**
   * Stops the loop and waits for it: sets {@link #isClosing()}, runs the wake-up, waits up to the
   * stop timeout, then interrupts. Idempotent; from the loop's own thread it does not wait.
   */
  @Override
  public void close() {
    closing = true;
    try {
      wakeUp.run();
    } catch (RuntimeException e) {
      log.warn("Waking {} up to stop it failed: {}", part, e.getMessage());
    }
    if (isCurrentThread() || !thread.isAlive()) {
      return;
    }
    try {
      thread.join(stopTimeout.toMillis());
      if (thread.isAlive()) {
        log.warn("{} did not stop within {} ms of being asked; interrupting it (it is at {})",
            capitalised(), stopTimeout.toMillis(), where());
        thread.interrupt();
        thread.join(AFTER_INTERRUPT.toMillis());
      }
      if (thread.isAlive()) {
        log.error("{} did not stop even when interrupted; leaving its thread '{}' behind (it is at {})",
            capitalised(), thread.getName(), where());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The innermost frame of the project's or a library's code, past the JDK's waiting machinery. */
  private String where() {
    StackTraceElement[] stack = thread.getStackTrace();
    for (StackTraceElement frame : stack) {
      String cls = frame.getClassName();
      if (!cls.startsWith("java.") && !cls.startsWith("jdk.") && !cls.startsWith("sun.")) {
        return frame.toString();
      }
    }
    return stack.length == 0 ? "an unknown place" : stack[0].toString();
  }

  private String capitalised() {
    return part.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1);
  }
}
