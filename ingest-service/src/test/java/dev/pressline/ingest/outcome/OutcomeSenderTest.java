package dev.pressline.ingest.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pressline.events.EventJson;
import dev.pressline.events.FileOutcome;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The caller of {@link OutcomeSender#offer} never waits for Kafka: against the real broker, a topic
 * it does not have (auto-create is off) keeps the sending thread in {@code send} for the whole of
 * {@code max.block.ms}, and meanwhile every offer returns, the queue fills and the rest are counted.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OutcomeSenderTest {

  private static final int CAPACITY = 4;
  private static final int OFFERS = 20;

  @Test
  void offersReturnAndAreCountedWhileKafkaDoesNotKnowTheTopic(KafkaBroker broker) {
    KafkaSettings kafka = broker.freshSettings();
    Properties props = ClientProperties.producer(kafka, "outcome-sender-test");
    // far longer than the test: the sending thread is stuck on the topic's metadata until closed
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DroppedOutcomes dropped = new DroppedOutcomes(registry, Clock.systemUTC());
    OutcomeSender sender = new OutcomeSender(
        new KafkaProducer<>(props, new StringSerializer(), JsonSerde.serializer(new EventJson())),
        kafka.topics().prefix() + "no-such-topic", CAPACITY, dropped).start();
    try {
      sender.offer(outcome(0));
      // the thread has taken the first one and waits inside send() for a topic that never comes
      await().atMost(Duration.ofSeconds(20)).until(() -> sender.waiting() == 0);

      // a generous bound: each offer blocking on Kafka (as send() does) would take minutes here
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        for (int i = 1; i < OFFERS; i++) {
          sender.offer(outcome(i));
        }
      });

      assertThat(sender.waiting()).as("held for the sending thread").isEqualTo(CAPACITY);
      assertThat(dropped.count()).as("dropped at once, the caller not kept").isEqualTo(OFFERS - 1 - CAPACITY);
    } finally {
      sender.close();
    }
    assertThat(dropped.count()).as("every outcome Kafka did not take is counted").isEqualTo(OFFERS);
    assertThat(registry.get("ingest.outcome.events.dropped").counter().count()).isEqualTo(OFFERS);
  }

  private static FileOutcome outcome(int i) {
    return new FileOutcome(FileOutcome.SCHEMA_VERSION, FileOutcome.Kind.REJECTED, "file-" + i + ".md", null,
        "rejected: empty", Instant.parse("2026-12-05T06:00:00Z"));
  }
}
