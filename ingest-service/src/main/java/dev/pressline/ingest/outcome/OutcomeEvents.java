package dev.pressline.ingest.outcome;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.EventJson;
import dev.pressline.events.FileOutcome;
import dev.pressline.events.PostEvent;
import dev.pressline.ingest.process.Outcome;
import dev.pressline.ingest.process.ProcessingListener;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes what happened to every inbox file on the {@code file-outcomes} topic, so the console can
 * show the inbox without reading the folders. It only reports: it decides what is news and hands it to
 * an {@link OutcomeSender}, which never makes the file's own handling (receipt, move) wait, and drops
 * (and counts) what Kafka does not take.
 */
public final class OutcomeEvents implements ProcessingListener, AutoCloseable {

  /** How many waiting files are remembered, so a post looked at again and again is reported once. */
  private static final int WAITING_REMEMBERED = 1_000;

  /**
   * Outcomes that may wait for the sending thread: while Kafka takes them it keeps up with any inbox;
   * while Kafka is away, a few hundred kilobytes held is plenty for a console that only shows the latest.
   */
  static final int WAITING_FOR_KAFKA = 1_000;

  private final ProcessingListener next;
  private final Clock clock;
  private final OutcomeSender sender;
  private final Map<String, String> waiting =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > WAITING_REMEMBERED;
        }
      };

  /** Starts the sending thread; {@code registry} gets the count of outcomes the console did not get. */
  public OutcomeEvents(KafkaSettings kafka, MeterRegistry registry, Clock clock, ProcessingListener next) {
    this(new OutcomeSender(newProducer(kafka), kafka.topics().fileOutcomes(), WAITING_FOR_KAFKA,
        new DroppedOutcomes(registry, clock)).start(), clock, next);
  }

  OutcomeEvents(OutcomeSender sender, Clock clock, ProcessingListener next) {
    this.sender = requireNonNull(sender, "sender");
    this.clock = requireNonNull(clock, "clock");
    this.next = requireNonNull(next, "next");
  }

  private static Producer<String, FileOutcome> newProducer(KafkaSettings kafka) {
    Properties props = ClientProperties.producer(kafka, "ingest-file-outcomes");
    // only the sending thread waits for it; short, so that thread soon moves on to the next outcome
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
    return new KafkaProducer<>(props, new StringSerializer(), JsonSerde.serializer(new EventJson()));
  }

  @Override
  public void acknowledged(PostEvent event, Path file) {
    next.acknowledged(event, file);
  }

  @Override
  public void finished(Outcome outcome) {
    try {
      publish(outcome);
    } finally {
      next.finished(outcome);
    }
  }

  private void publish(Outcome outcome) {
    synchronized (waiting) {
      if (outcome.kind() == Outcome.Kind.WAITING) {
        // the inbox looks at a waiting post on every pass: only a change of what it waits for is news
        if (outcome.message().equals(waiting.put(outcome.file(), outcome.message()))) {
          return;
        }
      } else {
        waiting.remove(outcome.file());
      }
    }
    sender.offer(new FileOutcome(FileOutcome.SCHEMA_VERSION, FileOutcome.Kind.valueOf(outcome.kind().name()),
        outcome.file(), outcome.slug(), outcome.message(), clock.instant()));
  }

  @Override
  public void close() {
    sender.close();
  }
}
