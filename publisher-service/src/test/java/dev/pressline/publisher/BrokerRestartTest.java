package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.events.PostEvent;
import dev.pressline.support.kafka.EmbeddedKafkaBroker;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicNames;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka broker itself restarts in the middle of a send: nobody is missed, nobody gets it twice. */
class BrokerRestartTest {

  @RegisterExtension
  final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  @Test
  void brokerRestartMidSendLosesNothing() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path data = dir.resolve("kafka");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, port);
    List<String> readers = IntStream.range(0, 200).mapToObj(i -> "b" + i + "@example.com").toList();
    KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), new TopicNames("restart."), 4, (short) 1);
    try (TestPipeline pipeline = new TestPipeline(kafka, mail.getSmtp().getPort(), dir.resolve("state"))) {
      pipeline.set("PRESSLINE_SMTP_RATE_LIMIT", "40").set("PRESSLINE_PUBLISHER_INSTANCE_ID", "steady");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        readers.forEach(r -> publisher.addConfirmedSubscriber(r, "test"));
        PostEvent post = SeedPosts.fromSeed("003_", "through-a-broker-restart");
        pipeline.publish(post);
        await().atMost(Duration.ofSeconds(60)).until(() -> mail.getReceivedMessages().length >= 30);

        broker.close();
        int whileDown = mail.getReceivedMessages().length;
        broker = EmbeddedKafkaBroker.start(data, port);

        await().atMost(Duration.ofSeconds(120)).until(() -> mail.getReceivedMessages().length >= readers.size());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
            .until(() -> mail.getReceivedMessages().length == readers.size());
        Map<String, Long> perReader = Arrays.stream(mail.getReceivedMessages())
            .collect(Collectors.groupingBy(PublisherDeliveryTest::recipient, Collectors.counting()));
        assertThat(perReader.keySet()).isEqualTo(Set.copyOf(readers));
        assertThat(perReader.values()).containsOnly(1L);
        assertThat(whileDown).isLessThan(readers.size());
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(post.slug()).sent() == readers.size());
      }
    } finally {
      broker.close();
    }
  }
}
