package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.events.PostEvent;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two publisher instances in one group, in one JVM as the launcher runs them: shared work, no duplicates. */
@ExtendWith(KafkaBrokerExtension.class)
class ScaleOutTest {

  @RegisterExtension
  final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path state;

  @Test
  void twoInstancesShareTheDeliveriesAndNobodyGetsAPostTwice(KafkaBroker broker) throws Exception {
    List<String> readers = IntStream.range(0, 120).mapToObj(i -> "fan" + i + "@example.com").toList();
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state)) {
      try (PublisherService one = PublisherService.start(pipeline.set("PRESSLINE_PUBLISHER_INSTANCE_ID", "one").config());
          PublisherService two = PublisherService.start(pipeline.set("PRESSLINE_PUBLISHER_INSTANCE_ID", "two").config())) {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> one.mailerPartitions() > 0 && two.mailerPartitions() > 0
                && one.mailerPartitions() + two.mailerPartitions() == pipeline.kafka.deliveriesPartitions());
        readers.forEach(r -> one.addConfirmedSubscriber(r, "test"));
        await().atMost(Duration.ofSeconds(10)).until(() -> two.confirmedSubscribers().size() == readers.size());
        PostEvent first = SeedPosts.fromSeed("000_", "shared-one");
        PostEvent second = SeedPosts.fromSeed("003_", "shared-two");
        pipeline.publish(first);
        pipeline.publish(second);

        await().atMost(Duration.ofSeconds(60)).until(() -> mail.getReceivedMessages().length >= 2 * readers.size());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
            .until(() -> mail.getReceivedMessages().length == 2 * readers.size());
        Map<String, Long> counts = Arrays.stream(mail.getReceivedMessages()).collect(Collectors.groupingBy(
            m -> PublisherDeliveryTest.recipient(m) + " | " + PublisherDeliveryTest.subject(m), Collectors.counting()));
        assertThat(counts).hasSize(2 * readers.size());
        assertThat(counts.values()).containsOnly(1L);
        await().atMost(Duration.ofSeconds(10)).until(() -> two.report(second.slug()).sent() == readers.size());
      }
    }
  }
}
