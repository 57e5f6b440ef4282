package dev.pressline.ingest.publish;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.PostEvent;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands events to another sink on a thread of its own, one after the other in the order given.
 * Turning a post event into bytes (JSON of its whole HTML and text, then compression) is the costliest
 * part of sending; done here it overlaps with reading the next files and moving the acknowledged ones.
 */
public final class BackgroundSender implements PostSink, AutoCloseable {

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
    try {
      return new Handed(thread.submit(() -> sink.send(event)), event.slug());
    } catch (RejectedExecutionException e) {
      // closed while the inbox thread was still at work: the file stays and is taken after a restart
      return new Handed(CompletableFuture.failedFuture(e), event.slug());
    }
  }

  /** An event handed to the sending thread: first it is sent, then its acknowledgement comes. */
  private record Handed(Future<Ack> sent, String slug) implements Ack {
    @Override
    public void await() {
      try {
        sent.get().await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PublishFailedException(slug, e);
      } catch (ExecutionException e) {
        throw new PublishFailedException(slug, e.getCause());
      } catch (CancellationException e) {
        throw new PublishFailedException(slug, e);
      }
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
      } catch (ExecutionException | CancellationException e) {
        // await() reports it at once
        return true;
      }
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
