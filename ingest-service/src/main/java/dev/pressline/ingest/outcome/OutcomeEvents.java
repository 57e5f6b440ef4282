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
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what happened to every inbox file on the {@code file-outcomes} topic, so the console can
 * show the inbox without reading the folders. It only reports: sends are asynchronous, a failed one
 * is logged and dropped, and the file's own handling (receipt, move) never waits for it.
 */
public final class OutcomeEvents implements ProcessingListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutcomeEvents.class);
  /** How many waiting files are remembered, so a post looked at again and again is reported once. */
  private static final int WAITING_REMEMBERED = 1_000;

  private final ProcessingListener next;
  private final String topic;
  private final Clock clock;
  private final Producer<String, FileOutcome> producer;
  private final Map<String, String> waiting =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > WAITING_REMEMBERED;
        }
      };

  public OutcomeEvents(KafkaSettings kafka, Clock clock, ProcessingListener next) {
    this(newProducer(kafka), kafka.topics().fileOutcomes(), clock, next);
  }

  OutcomeEvents(Producer<String, FileOutcome> producer, String topic, Clock clock, ProcessingListener next) {
    this.producer = requireNonNull(producer, "producer");
    this.topic = requireNonNull(topic, "topic");
    this.clock = requireNonNull(clock, "clock");
    this.next = requireNonNull(next, "next");
  }

  private static Producer<String, FileOutcome> newProducer(KafkaSettings kafka) {
    Properties props = ClientProperties.producer(kafka, "ingest-file-outcomes");
    // while Kafka is away ingest waits for it anyway; this report must not add its own minute to that
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
    FileOutcome event = new FileOutcome(FileOutcome.SCHEMA_VERSION, FileOutcome.Kind.valueOf(outcome.kind().name()),
        outcome.file(), outcome.slug(), outcome.message(), clock.instant());
    try {
      producer.send(new ProducerRecord<>(topic, outcome.file(), event), (metadata, error) -> {
        if (error != null) {
          log.warn("Could not report the outcome of {} on {} (the file itself was handled): {}",
              outcome.file(), topic, error.getMessage());
        }
      });
    } catch (RuntimeException e) {
      // Kafka unreachable within max.block.ms: the report is lost, the file's handling is not
      log.warn("Could not report the outcome of {} on {} (the file itself was handled): {}",
          outcome.file(), topic, e.getMessage());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
