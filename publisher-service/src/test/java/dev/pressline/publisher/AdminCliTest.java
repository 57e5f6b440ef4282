package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.events.PostEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.admin.PublisherAdmin;
import dev.pressline.publisher.subscribe.SubscriberWriter;
import dev.pressline.support.config.Settings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The operator commands against a real broker: CSV import with summary, export, report, retry-failed. */
@ExtendWith(KafkaBrokerExtension.class)
class AdminCliTest {

  @RegisterExtension
  final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(Settings settings, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PublisherAdmin.run(settings, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void importsWithSummaryRespectsUnsubscribesAndExportsTheList(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), dir);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      Settings settings = Settings.of(Map.of(
          "PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", pipeline.kafka.bootstrapServers(),
          "PRESSLINE_TOPIC_PREFIX", pipeline.kafka.topics().prefix()));
      publisher.addConfirmedSubscriber("left@example.com", "test");
      // left@ unsubscribes before the import
      try (SubscriberWriter writer = new SubscriberWriter(pipeline.kafka, "test", Clock.systemUTC())) {
        writer.write("left@example.com", SubscriberStatus.UNSUBSCRIBED, "web");
      }
      await().atMost(Duration.ofSeconds(10))
          .until(() -> publisher.subscriberStatus("left@example.com") == SubscriberStatus.UNSUBSCRIBED);
      Path csv = dir.resolve("list.csv");
      Files.writeString(csv, String.join("\n",
          "Name,Email",
          "Ann,ann@Example.com",
          "Bob,bob@example.org",
          "Dup,ann@EXAMPLE.COM",
          "Bad,not-an-address",
          "Left,left@example.com",
          "Nobody,",
          ""), StandardCharsets.UTF_8);

      Run imported = run(settings, "import", csv.toString(), "--confirmed");

      assertThat(imported.code()).isZero();
      assertThat(imported.out()).contains("Imported 2 subscriber(s) as confirmed; skipped 4 row(s).")
          .contains("line 4: ann@example.com appears earlier in the file")
          .contains("line 5: 'not-an-address' is not a valid address")
          .contains("line 6: left@example.com unsubscribed earlier; not added back")
          .contains("line 7: no address");
      assertThat(imported.err()).contains("100%").contains("6/6");
      await().atMost(Duration.ofSeconds(10))
          .until(() -> publisher.subscriberStatus("bob@example.org") == SubscriberStatus.CONFIRMED);
      assertThat(publisher.subscriberStatus("ann@example.com")).isEqualTo(SubscriberStatus.CONFIRMED);
      assertThat(publisher.subscriberStatus("left@example.com")).isEqualTo(SubscriberStatus.UNSUBSCRIBED);

      Path export = dir.resolve("export.csv");
      assertThat(run(settings, "export", export.toString()).code()).isZero();
      List<CSVRecord> rows;
      try (Reader reader = Files.newBufferedReader(export)) {
        rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
      }
      assertThat(rows).extracting(r -> r.get("email") + "=" + r.get("status"))
          .containsExactly("ann@example.com=confirmed", "bob@example.org=confirmed", "left@example.com=unsubscribed");
      assertThat(rows.get(0).get("source")).isEqualTo("import:list.csv");

      PostEvent post = SeedPosts.fromSeed("004_", "cli-post");
      pipeline.publish(post);
      await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(post.slug()).sent() == 2);
      Run report = run(settings, "report", post.slug());
      assertThat(report.out()).contains("Post cli-post: fanned out to 2 subscribers")
          .contains("sent 2, pending 0, failed 0, bounced 0");
      Run retry = run(settings, "retry-failed", post.slug());
      assertThat(retry.out()).contains("Queued 0 failed deliveries of cli-post again");
    }
  }
}
