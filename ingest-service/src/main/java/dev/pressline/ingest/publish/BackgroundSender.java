package dev.pressline.ingest.publish;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.PostEvent;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to another sink on a thread of its own, one after the other in the order given.
 * Turning a post event into bytes (JSON of its whole HTML and text, then compression) is the costliest
 * part of sending; done here it overlaps with reading the next files and moving the acknowledged ones.
 */
public final class BackgroundSender implements PostSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackgroundSender.class);

  private final PostSink sink;
  private final ExecutorService thread;

  public BackgroundSender(PostSink sink) {
    this.sink = requireNonNull(sink, "sink");
    this.thread = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "ingest-send");
      // the inbox thread owns the shutdown; a sender must never keep the JVM alive
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public Ack send(PostEvent event) {
    Handover handover = new Handover(event);
    try {
      return new Handed(handover, thread.submit(handover), event.slug());
    } catch (RejectedExecutionException e) {
      // closed while the inbox thread was still at work: the file stays and is taken after a restart
      return new Handed(handover, CompletableFuture.failedFuture(e), event.slug());
    }
  }

  /** One event waiting for the sending thread, unless it is taken back first. */
  private final class Handover implements Callable<Ack> {
    private final PostEvent event;
    private final AtomicBoolean decided = new AtomicBoolean();

    Handover(PostEvent event) {
      this.event = event;
    }

    @Override
    public Ack call() {
      if (!decided.compareAndSet(false, true)) {
        throw new CancellationException("taken back before it was sent");
      }
      return sink.send(event);
    }

    /** Whether the event was taken back before the sending thread reached it. */
    boolean withdraw() {
      return decided.compareAndSet(false, true);
    }
  }

  /** An event handed to the sending thread: first it is sent, then its acknowledgement comes. */
  private record Handed(Handover handover, Future<Ack> sent, String slug) implements Ack {
    @Override
    public void await() {
      try {
        sent.get().await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PublishFailedException(slug, e);
      } catch (ExecutionException e) {
        throw new PublishFailedException(slug, e.getCause());
      }
    }

    @Override
    public boolean withdraw() {
      return handover.withdraw();
    }

    @Override
    public boolean isDone() {
      if (!sent.isDone()) {
        return false;
      }
      try {
        return sent.get().isDone();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException e) {
        // await() reports it at once
        return true;
      }
    }
  }

  /**
   * Sends what was handed over already (each has someone waiting for its acknowledgement), then stops;
   * call it before closing the sink it sends to.
   */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("Sending the last post events did not finish within 30 s of stopping");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
