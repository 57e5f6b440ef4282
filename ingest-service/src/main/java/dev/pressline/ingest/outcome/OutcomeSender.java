package dev.pressline.ingest.outcome;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.FileOutcome;
import dev.pressline.support.lifecycle.PollingThread;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Hands file outcomes to Kafka from a thread of its own, so the inbox thread never waits for them.
 * A producer's {@code send} blocks while it does not know the topic's partitions (Kafka away since
 * the start, the topic gone) for up to {@code max.block.ms}, on every send; here only this thread
 * waits. What waits for it is held in a bounded queue, and an outcome that finds the queue full is
 * dropped and counted instead of holding the caller up.
 */
final class OutcomeSender implements AutoCloseable {

  /** How long the thread waits for an outcome before it looks whether it should stop. */
  private static final Duration IDLE_CHECK = Duration.ofMillis(200);
  /** Enough for the sends of the last outcomes to end (each at most {@code max.block.ms}) before interrupting. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  /** How long closing gives Kafka to acknowledge outcomes already sent. */
  private static final Duration PRODUCER_CLOSE = Duration.ofSeconds(5);

  private final Producer<String, FileOutcome> producer;
  private final String topic;
  private final DroppedOutcomes dropped;
  private final BlockingQueue<FileOutcome> waiting;
  private final PollingThread thread;

  /**
   * @param capacity how many outcomes may wait for the sending thread before new ones are dropped
   */
  OutcomeSender(Producer<String, FileOutcome> producer, String topic, int capacity, DroppedOutcomes dropped) {
    this.producer = requireNonNull(producer, "producer");
    this.topic = requireNonNull(topic, "topic");
    this.dropped = requireNonNull(dropped, "dropped");
    this.waiting = new ArrayBlockingQueue<>(capacity);
    this.thread = new PollingThread("ingest-outcomes", "the file-outcome sender", STOP_TIMEOUT, this::run);
  }

  /** Starts the sending thread; once only. */
  OutcomeSender start() {
    thread.start();
    return this;
  }

  /** Queues an outcome for sending and returns at once; a full queue drops it (counted, logged now and then). */
  void offer(FileOutcome outcome) {
    if (thread.isClosing() || !waiting.offer(outcome)) {
      dropped.dropped(outcome.file(), thread.isClosing()
          ? "ingest was stopping"
          : waiting.size() + " outcomes were already waiting for Kafka");
    }
  }

  /** How many outcomes wait for the sending thread. */
  int waiting() {
    return waiting.size();
  }

  private void run() {
    thread.markRunning();
    try {
      while (!thread.isClosing()) {
        FileOutcome next = waiting.poll(IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        if (next != null) {
          // a refused send is counted and the next one tried: while Kafka does not take them, the queue
          // fills and new outcomes are dropped at offer()
          send(next);
        }
      }
      // the ones handed over before the stop go too, unless Kafka is not taking any
      FileOutcome next;
      while ((next = waiting.poll()) != null) {
        if (!send(next)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    FileOutcome left;
    while ((left = waiting.poll()) != null) {
      dropped.dropped(left.file(), "ingest was stopping while Kafka did not take outcomes");
    }
  }

  /**
   * Sends one outcome; false when the producer refused it at once (it did not learn the topic's
   * partitions within max.block.ms, or a stop interrupted it): it then reports the error through the
   * callback and a future that is already done, or throws.
   */
  private boolean send(FileOutcome outcome) {
    Future<RecordMetadata> sent;
    try {
      sent = producer.send(new ProducerRecord<>(topic, outcome.file(), outcome), (metadata, error) -> {
        if (error == null) {
          dropped.taken();
        } else {
          dropped.dropped(outcome.file(), error.getMessage());
        }
      });
    } catch (RuntimeException e) {
      dropped.dropped(outcome.file(), e.getMessage());
      return false;
    }
    if (!sent.isDone()) {
      return true;
    }
    try {
      sent.get();
      return true;
    } catch (ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Sends what waits (unless Kafka is not taking outcomes), stops the thread, then closes the producer. */
  @Override
  public void close() {
    thread.close();
    // an offer that raced the stop may have queued one after the thread's last look
    FileOutcome left;
    while ((left = waiting.poll()) != null) {
      dropped.dropped(left.file(), "ingest was stopping");
    }
    producer.close(PRODUCER_CLOSE);
  }
}
