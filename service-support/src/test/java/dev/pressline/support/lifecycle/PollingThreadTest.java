package dev.pressline.support.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PollingThreadTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A loop that blocks on a monitor until it is woken, like a consumer in poll(). */
  private static final class BlockingLoop implements Runnable {
    final Object monitor = new Object();
    final AtomicBoolean interrupted = new AtomicBoolean();
    PollingThread thread;

    @Override
    public void run() {
      thread.wakeUpWith(() -> {
        synchronized (monitor) {
          monitor.notifyAll();
        }
      });
      thread.markRunning();
      synchronized (monitor) {
        while (!thread.isClosing()) {
          try {
            // far longer than the stop timeout: without the wake-up, close would have to interrupt
            monitor.wait(60_000);
          } catch (InterruptedException e) {
            interrupted.set(true);
            return;
          }
        }
      }
    }
  }

  @Test
  void runsTheLoopOnANamedThreadAndStopsItThroughTheWakeUp() throws Exception {
    BlockingLoop loop = new BlockingLoop();
    AtomicReference<String> name = new AtomicReference<>();
    PollingThread thread = new PollingThread("test-loop", "the test loop", WAIT, () -> {
      name.set(Thread.currentThread().getName());
      loop.run();
    });
    loop.thread = thread;
    thread.start();

    assertThat(thread.awaitRunning(WAIT)).isTrue();
    assertThat(thread.isRunning()).isTrue();
    assertThat(name.get()).isEqualTo("test-loop");

    thread.close();

    assertThat(thread.isAlive()).isFalse();
    assertThat(thread.isRunning()).isFalse();
    assertThat(loop.interrupted).as("stopped by the wake-up, not by an interrupt").isFalse();
    assertThat(thread.stoppedUnexpectedly()).isFalse();
    assertThat(thread.failure()).isEmpty();
  }

  @Test
  void awaitRunningIsFalseWhenTheLoopDiesBeforeItIsReady() throws Exception {
    PollingThread thread = new PollingThread("test-dies", "the dying loop", WAIT, () -> {
      throw new IllegalStateException("broker unreachable");
    });
    thread.start();

    assertThat(thread.awaitRunning(WAIT)).isFalse();
    await().atMost(WAIT).until(() -> !thread.isAlive());
    assertThat(thread.stoppedUnexpectedly()).isTrue();
    assertThat(thread.failure()).get().extracting(Throwable::getMessage).isEqualTo("broker unreachable");
    thread.close();
  }

  @Test
  void reportsALoopThatDiesAfterItWasRunning() throws Exception {
    CountDownLatch fail = new CountDownLatch(1);
    AtomicReference<PollingThread> self = new AtomicReference<>();
    PollingThread thread = new PollingThread("test-later", "the failing loop", WAIT, () -> {
      self.get().markRunning();
      try {
        fail.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("handler bug");
    });
    self.set(thread);
    thread.start();
    assertThat(thread.awaitRunning(WAIT)).isTrue();
    assertThat(thread.failure()).isEmpty();

    fail.countDown();

    await().atMost(WAIT).until(() -> !thread.isAlive());
    assertThat(thread.isRunning()).isFalse();
    assertThat(thread.failure()).get().extracting(Throwable::getMessage).isEqualTo("handler bug");
  }

  @Test
  void aLoopThatReturnsWithoutBeingClosedCountsAsStopped() throws Exception {
    PollingThread thread = new PollingThread("test-returns", "the returning loop", WAIT, () -> {});
    thread.start();

    await().atMost(WAIT).until(() -> !thread.isAlive());
    assertThat(thread.stoppedUnexpectedly()).isTrue();
    assertThat(thread.failure()).isEmpty();
  }

  @Test
  void anExceptionThrownWhileClosingIsTheWayOutNotAFailure() throws Exception {
    AtomicReference<PollingThread> self = new AtomicReference<>();
    CountDownLatch wake = new CountDownLatch(1);
    PollingThread thread = new PollingThread("test-wakeup", "the woken loop", WAIT, () -> {
      self.get().wakeUpWith(wake::countDown);
      self.get().markRunning();
      try {
        wake.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // what a Kafka consumer does when woken in poll()
      throw new IllegalStateException("woken up");
    });
    self.set(thread);
    thread.start();
    assertThat(thread.awaitRunning(WAIT)).isTrue();

    thread.close();

    assertThat(thread.isAlive()).isFalse();
    assertThat(thread.stoppedUnexpectedly()).isFalse();
    assertThat(thread.failure()).isEmpty();
  }

  @Test
  void interruptsALoopThatIgnoresItsWakeUpPastTheStopTimeout() throws Exception {
    AtomicReference<PollingThread> self = new AtomicReference<>();
    AtomicBoolean interrupted = new AtomicBoolean();
    PollingThread thread = new PollingThread("test-deaf", "the deaf loop", Duration.ofMillis(100), () -> {
      self.get().markRunning();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    });
    self.set(thread);
    thread.start();
    assertThat(thread.awaitRunning(WAIT)).isTrue();

    thread.close();

    assertThat(interrupted).isTrue();
    assertThat(thread.isAlive()).isFalse();
    assertThat(thread.stoppedUnexpectedly()).isFalse();
  }

  @Test
  void leavesBehindAThreadThatWillNotStopAndSaysSo() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<PollingThread> self = new AtomicReference<>();
    PollingThread thread = new PollingThread("test-stuck", "the stuck loop", Duration.ofMillis(100), () -> {
      self.get().markRunning();
      // deaf to the flag and to interrupts, like a call into code that swallows them
      while (true) {
        try {
          if (release.await(10, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          // swallowed on purpose
        }
      }
    });
    self.set(thread);
    thread.start();
    assertThat(thread.awaitRunning(WAIT)).isTrue();

    thread.close();

    assertThat(thread.isAlive()).as("close returns although the thread is still busy").isTrue();
    release.countDown();
    await().atMost(WAIT).until(() -> !thread.isAlive());
  }

  @Test
  void closeIsIdempotentAndWorksBeforeStartAndFromTheLoopItself() throws Exception {
    PollingThread never = new PollingThread("test-never", "the unstarted loop", WAIT, () -> {});
    never.close();
    never.close();
    assertThat(never.wasStarted()).isFalse();
    assertThat(never.isAlive()).isFalse();

    AtomicReference<PollingThread> self = new AtomicReference<>();
    PollingThread closesItself = new PollingThread("test-self", "the self-closing loop", WAIT,
        () -> self.get().close());
    self.set(closesItself);
    closesItself.start();
    await().atMost(WAIT).until(() -> !closesItself.isAlive());
    assertThat(closesItself.wasStarted()).isTrue();
    assertThat(closesItself.stoppedUnexpectedly()).isFalse();
    closesItself.close();
  }
}
