package dev.pressline.publisher.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.smtp.MailSender;
import dev.pressline.publisher.smtp.SendResult;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Was a bug (issue 10, #10): a subscribe request for an address already confirmed was answered
 * without the Kafka write a new address waits for, so the answer's speed told who is subscribed.
 * Now both are answered after the same steps (check the text, queue the request) and before any
 * lookup; the test holds the queue to see that nothing else happened before the answer.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SubscribeAnswerTest {

  @Test
  void answersASubscribedAndANewAddressAfterTheSameStepsBeforeAnyLookupOrWrite(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    new TopicSetup(kafka).ensureTopics();
    Clock clock = Clock.systemUTC();
    SubscriberList list = new SubscriberList();
    list.onRecord("old@example.com", new SubscriberEvent(SubscriberEvent.SCHEMA_VERSION, "old@example.com",
        SubscriberStatus.CONFIRMED, clock.instant(), "test"));
    List<Runnable> queued = new ArrayList<>();
    AtomicInteger mailed = new AtomicInteger();
    MailSender sender = new MailSender() {
      @Override
      public SendResult send(jakarta.mail.internet.MimeMessage message) {
        mailed.incrementAndGet();
        return new SendResult(SendResult.Kind.ACCEPTED, "250 ok", true);
      }

      @Override
      public void close() {}
    };
    try (SubscriberWriter writer = new SubscriberWriter(kafka, "answer-test", clock);
        Subscriptions subscriptions = TestSubscriptions.of(list, writer, sender, clock, queued::add)) {
      assertThat(subscriptions.requestSubscription("old@example.com", "web")).isEqualTo("old@example.com");
      assertThat(subscriptions.requestSubscription("new@example.com", "web")).isEqualTo("new@example.com");

      assertThat(queued).as("each answer left its work queued").hasSize(2);
      assertThat(recordsOn(kafka)).as("subscriber records written before the answers").isZero();

      queued.forEach(Runnable::run);
      assertThat(recordsOn(kafka)).as("the new address's PENDING, once the queue runs").isEqualTo(1);
      await().atMost(Duration.ofSeconds(20)).until(() -> mailed.get() == 1);
    }
  }

  private static long recordsOn(KafkaSettings kafka) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ClientProperties.reader(kafka, "answer-count"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      String topic = kafka.topics().subscribers();
      int partitions = consumer.partitionsFor(topic).size();
      List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
      return consumer.endOffsets(all).values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
