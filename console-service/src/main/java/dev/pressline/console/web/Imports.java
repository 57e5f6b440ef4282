package dev.pressline.console.web;

import static java.util.Objects.requireNonNull;

import dev.pressline.console.view.Subscribers;
import dev.pressline.publisher.admin.ImportSummary;
import dev.pressline.publisher.admin.SubscriberCsv;
import dev.pressline.publisher.subscribe.SubscriberWriter;
import dev.pressline.support.kafka.KafkaSettings;
import java.io.StringReader;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CSV imports started from the console, one at a time on a thread of their own, through the CLI's
 * {@link SubscriberCsv}: the same checks, the same writes to the subscribers topic, the same summary.
 */
final class Imports implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Imports.class);
  private static final int KEPT = 20;

  /** One import; its figures change while it runs. */
  static final class Job {
    final String id;
    final String file;
    final boolean confirmed;
    final int total;
    final AtomicInteger done = new AtomicInteger();
    volatile ImportSummary summary;
    volatile String error;

    Job(String id, String file, boolean confirmed, int total) {
      this.id = id;
      this.file = file;
      this.confirmed = confirmed;
      this.total = total;
    }

    boolean finished() {
      return summary != null || error != null;
    }

    int percent() {
      return total == 0 ? (finished() ? 100 : 0) : (int) (100L * done.get() / total);
    }
  }

  private final KafkaSettings kafka;
  private final Subscribers subscribers;
  private final Clock clock;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "console-import");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Job> jobs = Collections.synchronizedMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
      return size() > KEPT;
    }
  });

  Imports(KafkaSettings kafka, Subscribers subscribers, Clock clock) {
    this.kafka = requireNonNull(kafka, "kafka");
    this.subscribers = requireNonNull(subscribers, "subscribers");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Counts the rows now (a file without an email column fails here) and imports them in the background. */
  Job start(String id, String fileName, String csv, boolean confirmed) {
    int total = SubscriberCsv.countRows(new StringReader(csv));
    Job job = new Job(id, fileName, confirmed, total);
    jobs.put(id, job);
    worker.execute(() -> run(job, csv));
    return job;
  }

  Optional<Job> get(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  private void run(Job job, String csv) {
    try (SubscriberWriter writer = new SubscriberWriter(kafka, "console-import", clock)) {
      job.summary = new SubscriberCsv(writer).importFrom(new StringReader(csv), "import:" + job.file, job.confirmed,
          subscribers.current(), job.done::set);
      log.info("Operator imported {} from the console: {}", job.file, job.summary.headline(job.confirmed));
    } catch (RuntimeException e) {
      job.error = e.getMessage();
      log.warn("Import of {} from the console failed: {}", job.file, e.getMessage());
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
