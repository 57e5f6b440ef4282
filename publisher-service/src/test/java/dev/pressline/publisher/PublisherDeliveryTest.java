package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.events.DeliveryJob;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.publisher.deliverylog.PostReport;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Real broker, real SMTP server (GreenMail): posts in, one email per confirmed subscriber out. */
@ExtendWith(KafkaBrokerExtension.class)
class PublisherDeliveryTest {

  /** One client, so its kept-alive connections are reused rather than piling up against the per-client limit. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path state;

  private static final List<String> READERS = List.of("ann@example.com", "bob@example.org", "cy@example.net");

  @Test
  void sendsEachPostExactlyOnceToEveryConfirmedSubscriberWithTypographyIntact(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      READERS.forEach(r -> publisher.addConfirmedSubscriber(r, "test"));
      PostEvent first = SeedPosts.fromSeed("000_", "wanting-your-partner-back");
      PostEvent second = SeedPosts.fromSeed("004_", "share-this");
      pipeline.publish(first);
      pipeline.publish(second);

      await().atMost(Duration.ofSeconds(60)).until(() -> mail.getReceivedMessages().length >= 6);
      // nothing more arrives: no duplicates
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
          .until(() -> mail.getReceivedMessages().length == 6);

      MimeMessage[] received = mail.getReceivedMessages();
      for (String reader : READERS) {
        List<String> subjects = Arrays.stream(received).filter(m -> recipient(m).equals(reader))
            .map(PublisherDeliveryTest::subject).sorted().toList();
        assertThat(subjects).as(reader).containsExactlyInAnyOrder(first.title(), second.title());
      }
      for (MimeMessage message : received) {
        assertThat(message.isMimeType("multipart/alternative")).isTrue();
        if (subject(message).equals(first.title())) {
          assertThat(part(message, "text/plain")).contains("Don’t", "“How do I get him/her back?”");
          assertThat(part(message, "text/html")).contains("Don’t", "“How do I get him/her back?”");
        }
        assertThat(message.getHeader("List-Unsubscribe")[0]).contains("/unsubscribe?token=");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> publisher.report(first.slug()).sent() == 3);
      // the fan-out's marker reaches this instance's copy of the log from the topic, which it reads
      // in batches: it may come a moment after the outcomes the mailer remembered as it wrote them
      await().atMost(Duration.ofSeconds(10))
          .until(() -> publisher.report(first.slug()).fanOut().equals("fanned out to 3 subscribers"));
      PostReport report = publisher.report(first.slug());
      assertThat(report.failed() + report.bounced() + report.pending()).isZero();
      HttpResponse<String> metrics = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + publisher.httpPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("pressline_publisher_mails_sent_total{service=\"publisher\"} 6.0")
          .contains("pressline_publisher_posts_fanned_out_total{service=\"publisher\"} 2.0")
          .contains("pressline_publisher_confirmed_subscribers{service=\"publisher\"} 3.0")
          .contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void restartMidSendLeavesNothingMissingAndNothingTwice(KafkaBroker broker) throws Exception {
    List<String> readers = IntStream.range(0, 150).mapToObj(i -> "reader" + i + "@example.com").toList();
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state)) {
      pipeline.set("PRESSLINE_SMTP_CONCURRENCY", "2").set("PRESSLINE_SMTP_RATE_LIMIT", "100")
          .set("PRESSLINE_PUBLISHER_INSTANCE_ID", "one");
      PostEvent first = SeedPosts.fromSeed("001_", "wanting-back-again");
      PostEvent second = SeedPosts.fromSeed("003_", "couple-on-sofa");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        readers.forEach(r -> publisher.addConfirmedSubscriber(r, "test"));
        pipeline.publish(first);
        await().atMost(Duration.ofSeconds(60)).until(() -> mail.getReceivedMessages().length >= 40);
      }
      int atStop = mail.getReceivedMessages().length;
      assertThat(atStop).as("stopped in the middle of the send").isLessThan(readers.size());
      pipeline.publish(second);
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        await().atMost(Duration.ofSeconds(90)).until(() -> mail.getReceivedMessages().length >= 2 * readers.size());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
            .until(() -> mail.getReceivedMessages().length == 2 * readers.size());
        Map<String, Long> perRecipientAndSubject = Arrays.stream(mail.getReceivedMessages())
            .collect(Collectors.groupingBy(m -> recipient(m) + " | " + subject(m), Collectors.counting()));
        assertThat(perRecipientAndSubject).hasSize(2 * readers.size());
        assertThat(perRecipientAndSubject.values()).containsOnly(1L);
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.report(first.slug()).sent() == readers.size());
        assertThat(publisher.report(first.slug()).possibleDuplicates()).isEmpty();
      }
    }
  }

  @Test
  void updatesAndEmailOffPostsSendNothingAndScheduledPostWaitsForItsTime(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      publisher.addConfirmedSubscriber("ann@example.com", "test");
      PostEvent published = SeedPosts.fromSeed("002_", "question-for-john");
      pipeline.publish(published);
      await().atMost(Duration.ofSeconds(30)).until(() -> mail.getReceivedMessages().length == 1);

      PostEvent update = SeedPosts.post(published.slug(), "Question for John (corrected)\n\nNew text.",
          Instant.now().minusSeconds(1), PostChange.UPDATED, 2, null);
      pipeline.publish(update);
      PostEvent feedOnly = withEmail(SeedPosts.post("feed-only", "Feed only\n\nNot mailed.",
          Instant.now().minusSeconds(1), PostChange.PUBLISHED, 1, null), false);
      pipeline.publish(feedOnly);
      PostEvent scheduled = SeedPosts.post("later", "Later – scheduled\n\nComes in a few seconds.",
          Instant.now().plusSeconds(4), PostChange.PUBLISHED, 1, null);
      pipeline.publish(scheduled);

      await().atMost(Duration.ofSeconds(3)).until(() -> publisher.report("later").fanOut().startsWith("scheduled"));
      assertThat(mail.getReceivedMessages()).hasSize(1);
      await().atMost(Duration.ofSeconds(30)).until(() -> mail.getReceivedMessages().length == 2);
      assertThat(subject(mail.getReceivedMessages()[1])).isEqualTo("Later – scheduled");
      assertThat(mail.getReceivedMessages()[1].getReceivedDate()).isNotNull();
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
          .until(() -> mail.getReceivedMessages().length == 2);
    }
  }

  @Test
  void anUpdateThatAsksForItIsEmailedAgainOncePerRevisionUnderItsOwnMessageId(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      List.of("ann@example.com", "bob@example.org").forEach(r -> publisher.addConfirmedSubscriber(r, "test"));
      PostEvent published = SeedPosts.fromSeed("002_", "question-again");
      pipeline.publish(published);
      await().atMost(Duration.ofSeconds(30)).until(() -> mail.getReceivedMessages().length == 2);

      PostEvent quiet = SeedPosts.post(published.slug(), "Question again (typo fixed)\n\nSame news.",
          Instant.now().minusSeconds(1), PostChange.UPDATED, 2, null);
      pipeline.publish(quiet);
      PostEvent loud = resend(SeedPosts.post(published.slug(), "Question again – correction\n\nThe date was wrong.",
          Instant.now().minusSeconds(1), PostChange.UPDATED, 3, null));
      pipeline.publish(loud);
      // the same event once more, as a producer retry could write it: no third mailing
      pipeline.publish(loud);

      await().atMost(Duration.ofSeconds(30)).until(() -> mail.getReceivedMessages().length >= 4);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
          .until(() -> mail.getReceivedMessages().length == 4);
      MimeMessage[] received = mail.getReceivedMessages();
      assertThat(Arrays.stream(received).map(PublisherDeliveryTest::subject))
          .containsExactlyInAnyOrder(published.title(), published.title(), loud.title(), loud.title());
      assertThat(Arrays.stream(received).map(m -> header(m, "Message-ID")).distinct())
          .as("every mail its own Message-ID").hasSize(4);
      String mailing = published.slug() + "@r3";
      await().atMost(Duration.ofSeconds(10)).until(() -> publisher.report(mailing).sent() == 2);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> publisher.report(mailing).fanOut().equals("fanned out to 2 subscribers"));
      assertThat(publisher.report(published.slug()).sent()).as("the first mailing's record stands").isEqualTo(2);
    }
  }

  @Test
  void copiesOfOneJobReadTogetherStillSendOneMail(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state)) {
      pipeline.set("PRESSLINE_SMTP_CONCURRENCY", "4");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        publisher.addConfirmedSubscriber("ann@example.com", "test");
        // email off: no fan-out of its own; the copies below are the only jobs
        PostEvent post = withEmail(SeedPosts.fromSeed("002_", "question-for-john"), false);
        pipeline.publish(post);
        // what a fan-out repeated after a lost commit, or a job read again, puts on the topic: the
        // copies reach one mailer in one poll and its workers at the same moment
        DeliveryJob job = new DeliveryJob(DeliveryJob.SCHEMA_VERSION, post.slug(), post.revision(), "ann@example.com",
            Instant.now());
        for (int i = 0; i < 16; i++) {
          pipeline.deliver(job);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> mail.getReceivedMessages().length >= 1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
            .until(() -> mail.getReceivedMessages().length == 1);
        assertThat(publisher.report(post.slug()).sent()).isEqualTo(1);
      }
    }
  }

  @Test
  void postTextCannotTakeTheSubscribersUnsubscribeLinks(KafkaBroker broker) throws Exception {
    // the string the mailer once put where each reader's own link goes, and a guess at its next form
    String slot = "https://pressline.invalid/unsubscribe-link-placeholder";
    String guess = "https://pressline.invalid/unsubscribe";
    String html = "<p>Read <a href=\"" + slot + "\">this</a> and <a href=\"" + guess + "\">that</a>.</p>"
        + "<p><img src=\"https://collector.example.net/pixel.gif?u=" + slot + "\" alt=\"pixel\"></p>"
        + "<p>Plain: " + slot + "</p>";
    String text = "Read this: " + slot + "\n\nPlain: " + slot + " and " + guess;
    PostEvent base = SeedPosts.post("greedy", "Greedy post\n\nx", Instant.now().minusSeconds(1),
        PostChange.PUBLISHED, 1, null);
    PostEvent post = PostEvent.builder()
        .schemaVersion(base.schemaVersion())
        .change(base.change())
        .slug(base.slug())
        .revision(base.revision())
        .title(base.title())
        .author(base.author())
        .summary(base.summary())
        .html(html)
        .text(text)
        .publishAt(base.publishAt())
        .tags(base.tags())
        .email(true)
        .contentHash(base.contentHash())
        .sourceFile(base.sourceFile())
        .ingestedAt(base.ingestedAt())
        .build();
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      READERS.forEach(r -> publisher.addConfirmedSubscriber(r, "test"));
      pipeline.publish(post);
      await().atMost(Duration.ofSeconds(60)).until(() -> mail.getReceivedMessages().length >= READERS.size());

      for (MimeMessage message : mail.getReceivedMessages()) {
        String header = header(message, "List-Unsubscribe");
        String own = header.substring(1, header.indexOf('>'));
        String htmlPart = part(message, "text/html");
        String textPart = part(message, "text/plain");
        assertThat(htmlPart.split(Pattern.quote(own), -1)).as("the reader's link in the HTML: once, "
            + "in the footer").hasSize(2);
        assertThat(textPart.split(Pattern.quote(own), -1)).as("the reader's link in the text: once")
            .hasSize(2);
        // the post's own text stays as written (the sanitiser encodes the '=' in the image's address)
        assertThat(htmlPart).contains("href=\"" + slot + "\"", "pixel.gif?u&#61;" + slot, "Plain: " + slot,
            "href=\"" + guess + "\"");
        assertThat(textPart).contains("Read this: " + slot, "Plain: " + slot + " and " + guess);
      }
    }
  }

  private static PostEvent resend(PostEvent p) {
    return p.toBuilder()
        .resend(true)
        .build();
  }

  private static String header(MimeMessage message, String name) {
    try {
      return message.getHeader(name)[0];
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static PostEvent withEmail(PostEvent p, boolean email) {
    return p.toBuilder()
        .email(email)
        .resend(false)
        .build();
  }

  static String recipient(MimeMessage message) {
    try {
      return message.getRecipients(Message.RecipientType.TO)[0].toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String part(MimeMessage message, String type) throws Exception {
    MimeMultipart multipart = (MimeMultipart) message.getContent();
    for (int i = 0; i < multipart.getCount(); i++) {
      BodyPart part = multipart.getBodyPart(i);
      if (part.isMimeType(type)) {
        return (String) part.getContent();
      }
    }
    throw new AssertionError("no " + type + " part");
  }

  static <T> Function<T, T> same() {
    return t -> t;
  }
}
