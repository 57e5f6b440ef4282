package dev.pressline.console.topics;

import static java.util.Objects.requireNonNull;

import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts each of the console's readers once its topic exists, and never creates a topic: the
 * services that own the topics create them when they start, and on a secured cluster the console's
 * ACLs do not allow it anyway. Until then the topic is {@link #missing()}, which the pages and
 * {@code /health/ready} say in words. Asking the broker for its topic names creates nothing, even
 * where the broker creates topics on first use.
 */
public final class TopicWait implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TopicWait.class);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  private final Admin admin;
  private final Duration every;
  private final ScheduledExecutorService checker;
  /** The topics not seen yet, each with what starts its reader; guarded by this. */
  private final Map<String, Runnable> pending = new LinkedHashMap<>();
  private boolean saidWaiting;
  private boolean closed;

  /** @param every how often the broker is asked while a topic is missing */
  public TopicWait(KafkaSettings kafka, Duration every) {
    requireNonNull(kafka, "kafka");
    this.every = requireNonNull(every, "every");
    this.admin = Admin.create(ClientProperties.admin(kafka, "console-topic-wait"));
    this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "console-topic-wait");
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code startReader} (once, on the waiting thread) as soon as {@code topic} exists. */
  public synchronized TopicWait whenExists(String topic, Runnable startReader) {
    pending.put(requireNonNull(topic, "topic"), requireNonNull(startReader, "startReader"));
    return this;
  }

  /** Starts looking; the first look is at once. */
  public TopicWait start() {
    checker.scheduleWithFixedDelay(this::look, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** The topics this console reads that it has not seen on the cluster yet, in the order registered. */
  public synchronized List<String> missing() {
    return List.copyOf(pending.keySet());
  }

  private void look() {
    try {
      lookOnce();
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again: log it and keep looking
      log.error("Looking for the console's topics failed: {}", e.getMessage(), e);
    }
  }

  private void lookOnce() {
    synchronized (this) {
      if (pending.isEmpty() || closed) {
        return;
      }
    }
    Set<String> exist;
    try {
      exist = admin.listTopics().names().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the broker may be starting or away: the next look asks again
      log.warn("Could not ask Kafka which topics exist ({}); asking again in {} s", e.getMessage(),
          every.toSeconds());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    List<Runnable> toStart = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      pending.entrySet().removeIf(entry -> {
        if (exist.contains(entry.getKey())) {
          toStart.add(entry.getValue());
          if (saidWaiting) {
            log.info("Topic {} exists now; the console reads it", entry.getKey());
          }
          return true;
        }
        return false;
      });
      if (!pending.isEmpty() && !saidWaiting) {
        saidWaiting = true;
        log.warn("Waiting for topic(s) {}: they do not exist yet. The console only reads; the services "
            + "that own them create them when they start, and the console picks them up then", pending.keySet());
      }
    }
    toStart.forEach(Runnable::run);
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    checker.shutdownNow();
    try {
      if (!checker.awaitTermination(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("The console's topic wait did not stop within {} s", ASK_TIMEOUT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(5));
  }
}
