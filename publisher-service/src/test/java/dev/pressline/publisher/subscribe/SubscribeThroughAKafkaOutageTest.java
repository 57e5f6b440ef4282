package dev.pressline.publisher.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.smtp.MailSender;
import dev.pressline.publisher.smtp.SendResult;
import dev.pressline.support.kafka.EmbeddedKafkaBroker;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicNames;
import dev.pressline.support.kafka.TopicSetup;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscribe request made while Kafka is down has already been answered "check your inbox": it is
 * recorded and its confirmation mail sent once Kafka is back, not dropped with a log line.
 */
class SubscribeThroughAKafkaOutageTest {

  @TempDir Path dir;

  @Test
  void aRequestKafkaDidNotTakeIsRecordedAndMailedOnceKafkaIsBack() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path data = dir.resolve("kafka");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, port);
    KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), new TopicNames("outage."), 1, (short) 1);
    new TopicSetup(kafka).ensureTopics();
    Clock clock = Clock.systemUTC();
    List<String> mailed = new CopyOnWriteArrayList<>();
    MailSender sender = new MailSender() {
      @Override
      public SendResult send(MimeMessage message) {
        try {
          mailed.add(((InternetAddress) message.getAllRecipients()[0]).getAddress());
        } catch (jakarta.mail.MessagingException e) {
          throw new IllegalStateException(e);
        }
        return new SendResult(SendResult.Kind.ACCEPTED, "250 ok", true);
      }

      @Override
      public void close() {}
    };
    ExecutorService requests = Executors.newSingleThreadExecutor();
    SubscriberList list = new SubscriberList();
    try (SubscriberWriter writer = new SubscriberWriter(kafka, "outage-test", clock, Duration.ofSeconds(2));
        Subscriptions subscriptions = TestSubscriptions.of(list, writer, sender, clock, requests)) {
      // the producer knows the topic, as a running publisher's does
      writer.write("before@example.com", SubscriberStatus.PENDING, "test");
      broker.close();

      subscriptions.requestSubscription("during@example.com", "web");
      Thread.sleep(4_000);
      assertThat(mailed).as("no confirmation mail while Kafka cannot record the request").isEmpty();

      broker = EmbeddedKafkaBroker.start(data, port);
      await("the confirmation mail once Kafka is back").atMost(Duration.ofSeconds(90))
          .until(() -> mailed.contains("during@example.com"));
      assertThat(mailed).containsExactly("during@example.com");
    } finally {
      requests.shutdownNow();
      broker.close();
    }
  }
}
