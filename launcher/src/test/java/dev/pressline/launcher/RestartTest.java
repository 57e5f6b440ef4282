package dev.pressline.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.feed.FeedConfig;
import dev.pressline.feed.FeedService;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.IngestService;
import dev.pressline.publisher.PublisherConfig;
import dev.pressline.publisher.PublisherService;
import dev.pressline.support.config.Settings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each service stopped and started again while posts flow: nothing missing, nothing twice. */
@ExtendWith(KafkaBrokerExtension.class)
class RestartTest {

  private static final List<String> SUBSCRIBERS = List.of("dora@example.org", "eli@example.org");

  private final List<Path> posts = new Seeds().posts();

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @Test
  void restartingEachServiceWhilePostsFlowLosesAndRepeatsNothing(KafkaBroker broker, @TempDir Path data)
      throws Exception {
    PipelineUnderTest pipeline = new PipelineUnderTest(data, broker.freshSettings(), smtp.getSmtp().getPort());
    Settings settings = pipeline.settings();
    Path inbox = pipeline.layout.inbox();

    FeedService feed = FeedService.start(FeedConfig.from(settings));
    PublisherService publisher = PublisherService.start(PublisherConfig.from(settings));
    IngestService ingest = IngestService.start(IngestConfig.from(settings));
    try {
      for (String email : SUBSCRIBERS) {
        publisher.addConfirmedSubscriber(email, "test");
      }
      Seeds.drop(posts.get(0), inbox);
      Seeds.drop(posts.get(1), inbox);
      awaitProcessed(pipeline, 2);

      publisher.close(); // posts arrive while nobody mails
      Seeds.drop(posts.get(2), inbox);
      awaitProcessed(pipeline, 3);
      publisher = PublisherService.start(PublisherConfig.from(settings));

      ingest.close(); // a post waits in the inbox while ingest is down
      Seeds.drop(posts.get(3), inbox);
      ingest = IngestService.start(IngestConfig.from(settings));
      awaitProcessed(pipeline, 4);

      feed.close();
      Seeds.drop(posts.get(4), inbox);
      feed = FeedService.start(FeedConfig.from(settings));
      awaitProcessed(pipeline, 5);

      int feedPort = feed.httpPort();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(pipeline.get(feedPort, "/feed.xml").split("<item>", -1)).hasSize(posts.size() + 1));
      int expected = SUBSCRIBERS.size() * posts.size();
      await().atMost(Duration.ofSeconds(60)).until(() -> smtp.getReceivedMessages().length >= expected);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
          .until(() -> smtp.getReceivedMessages().length == expected);

      Map<String, Integer> perRecipient = new HashMap<>();
      Map<String, Integer> perMessageId = new HashMap<>();
      for (MimeMessage m : smtp.getReceivedMessages()) {
        String to = ((InternetAddress) m.getAllRecipients()[0]).getAddress();
        perRecipient.merge(to, 1, Integer::sum);
        perMessageId.merge(to + " " + m.getMessageID(), 1, Integer::sum);
      }
      assertThat(perRecipient).containsOnlyKeys(SUBSCRIBERS).allSatisfy((to, n) -> assertThat(n).isEqualTo(posts.size()));
      assertThat(perMessageId.values()).allMatch(n -> n == 1);
    } finally {
      ingest.close();
      publisher.close();
      feed.close();
    }
  }

  private void awaitProcessed(PipelineUnderTest pipeline, int count) {
    List<String> expected = posts.subList(0, count).stream().map(p -> p.getFileName().toString()).toList();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(PipelineUnderTest.fileNames(pipeline.layout.processed())).containsAll(expected));
  }
}
