package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.events.PostEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.deliverylog.PostReport;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Temporary and permanent SMTP failures, and an SMTP server that goes away mid-send. */
@ExtendWith(KafkaBrokerExtension.class)
class DeliveryFailuresTest {

  /** One client, so its kept-alive connections are reused rather than piling up against the per-client limit. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path state;

  @Test
  void permanentRefusalBouncesAndSuppressesTheAddressWhileTemporaryOnesAreRetried(KafkaBroker broker)
      throws Exception {
    Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
    Function<String, String> policy = address -> {
      int attempt = tries.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
      if (address.startsWith("gone")) {
        return "550 5.1.1 <" + address + ">: no such user";
      }
      if (address.startsWith("greylisted") && attempt <= 2) {
        return "451 4.7.1 greylisted, try again later";
      }
      return "250 2.1.5 OK";
    };
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(policy);
        TestPipeline pipeline = new TestPipeline(broker.freshSettings(), smtp.port(), state);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      for (String r : List.of("ok@example.com", "gone@example.com", "greylisted@example.com")) {
        publisher.addConfirmedSubscriber(r, "test");
      }
      PostEvent first = SeedPosts.fromSeed("000_", "first");
      pipeline.publish(first);

      await().atMost(Duration.ofSeconds(30)).until(() -> {
        PostReport r = publisher.report(first.slug());
        return r.sent() == 2 && r.bounced() == 1;
      });
      assertThat(smtp.acceptedFor("ok@example.com")).isEqualTo(1);
      assertThat(smtp.acceptedFor("greylisted@example.com")).isEqualTo(1);
      assertThat(tries.get("greylisted@example.com").get()).isEqualTo(3);
      assertThat(smtp.acceptedFor("gone@example.com")).isZero();
      assertThat(publisher.report(first.slug()).bouncedRecipients().get(0)).startsWith("gone@example.com: ")
          .contains("550");
      await().atMost(Duration.ofSeconds(10))
          .until(() -> publisher.subscriberStatus("gone@example.com") == SubscriberStatus.BOUNCED);

      PostEvent second = SeedPosts.fromSeed("004_", "second");
      pipeline.publish(second);
      await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(second.slug()).sent() == 2);
      // the fan-out's marker comes from the topic, possibly a moment after the outcomes written here
      await().atMost(Duration.ofSeconds(10))
          .until(() -> publisher.report(second.slug()).fanOut().equals("fanned out to 2 subscribers"));
      assertThat(tries.get("gone@example.com").get()).as("suppressed: never tried again").isEqualTo(1);
    }
  }

  @Test
  void aMessageWhoseReplyWasLostIsSentAgainAndNamedAsAPossibleDuplicate(KafkaBroker broker) throws Exception {
    // the server takes the message, then the connection breaks before its 250: SMTP cannot tell
    // whether it arrived, so the retry sends it again and the log must say so
    AtomicInteger hangUps = new AtomicInteger();
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(address -> "250 2.1.5 OK",
            address -> address.startsWith("unlucky") && hangUps.getAndIncrement() == 0);
        TestPipeline pipeline = new TestPipeline(broker.freshSettings(), smtp.port(), state)) {
      pipeline.set("PRESSLINE_SMTP_CONCURRENCY", "1");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        publisher.addConfirmedSubscriber("unlucky@example.com", "test");
        publisher.addConfirmedSubscriber("lucky@example.com", "test");
        PostEvent post = SeedPosts.fromSeed("000_", "reply-lost");
        pipeline.publish(post);

        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(post.slug()).sent() == 2);
        assertThat(smtp.acceptedFor("unlucky@example.com")).as("taken twice").isEqualTo(2);
        assertThat(smtp.acceptedFor("lucky@example.com")).isEqualTo(1);
        // providers that keep one copy per Message-ID (Gmail does) show the duplicate once
        List<String> ids = smtp.messageIds.get("unlucky@example.com");
        assertThat(ids).as("both copies carry the first one's Message-ID").hasSize(2).doesNotContainNull()
            .allMatch(id -> id.equals(ids.get(0)) && id.startsWith("<") && id.endsWith(">"));
        assertThat(smtp.messageIds.get("lucky@example.com")).doesNotContain(ids.get(0));
        assertThat(publisher.report(post.slug()).possibleDuplicates())
            .as("the log names the duplicate, and only it").singleElement().asString().startsWith("unlucky@example.com");
      }
    }
  }

  @Test
  void aConnectionLostBeforeTheMessageWasSentIsRetriedWithoutCallingItADuplicate(KafkaBroker broker)
      throws Exception {
    // the server hangs up at the recipient: the message never went out, so the retry is no duplicate
    AtomicInteger hangUps = new AtomicInteger();
    Function<String, String> policy = address -> address.startsWith("flaky") && hangUps.getAndIncrement() == 0
        ? ScriptedSmtpServer.HANG_UP : "250 2.1.5 OK";
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(policy);
        TestPipeline pipeline = new TestPipeline(broker.freshSettings(), smtp.port(), state)) {
      pipeline.set("PRESSLINE_SMTP_CONCURRENCY", "1");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        publisher.addConfirmedSubscriber("flaky@example.com", "test");
        publisher.addConfirmedSubscriber("steady@example.com", "test");
        PostEvent post = SeedPosts.fromSeed("001_", "hung-up");
        pipeline.publish(post);

        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(post.slug()).sent() == 2);
        assertThat(hangUps.get()).as("the server hung up once, then took the retry").isGreaterThanOrEqualTo(2);
        assertThat(smtp.acceptedFor("flaky@example.com")).isEqualTo(1);
        assertThat(publisher.report(post.slug()).possibleDuplicates()).as("no doubt to report").isEmpty();
      }
    }
  }

  @Test
  void deliveriesThatGaveUpAreSentByRetryFailedAndOnlyThose(KafkaBroker broker) throws Exception {
    AtomicBoolean accepting = new AtomicBoolean(false);
    Function<String, String> policy = address -> address.startsWith("stuck") && !accepting.get()
        ? "452 4.2.2 mailbox full" : "250 2.1.5 OK";
    try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(policy);
        TestPipeline pipeline = new TestPipeline(broker.freshSettings(), smtp.port(), state)) {
      pipeline.set("PRESSLINE_SMTP_MAX_ATTEMPTS", "2").set("PRESSLINE_ADMIN_TOKEN", "retry-admin");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        publisher.addConfirmedSubscriber("fine@example.com", "test");
        publisher.addConfirmedSubscriber("stuck@example.com", "test");
        PostEvent post = SeedPosts.fromSeed("004_", "retry-me");
        pipeline.publish(post);
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(post.slug()).failed() == 1);
        PostReport failed = publisher.report(post.slug());
        assertThat(failed.sent()).isEqualTo(1);
        assertThat(failed.failedRecipients().get(0)).startsWith("stuck@example.com: ").contains("452");

        accepting.set(true);
        HttpResponse<String> retried = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + publisher.httpPort() + "/admin/retry-failed?slug=" + post.slug()))
            .header("Authorization", "Bearer retry-admin").POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(retried.body()).contains("\"requeued\" : 1");
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.report(post.slug()).sent() == 2);
        assertThat(smtp.acceptedFor("stuck@example.com")).isEqualTo(1);
        assertThat(smtp.acceptedFor("fine@example.com")).as("the one already sent is not sent again").isEqualTo(1);
      }
    }
  }

  @Test
  void severalSmtpServersShareTheLoadAndCoverForEachOther(KafkaBroker broker) throws Exception {
    GreenMail a = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    GreenMail b = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    a.start();
    b.start();
    List<String> readers = IntStream.range(0, 40).mapToObj(i -> "m" + i + "@example.com").toList();
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), a.getSmtp().getPort(), state)) {
      pipeline.set("PRESSLINE_SMTP_HOST",
          "127.0.0.1:" + a.getSmtp().getPort() + ", 127.0.0.1:" + b.getSmtp().getPort());
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        readers.forEach(r -> publisher.addConfirmedSubscriber(r, "test"));
        PostEvent first = SeedPosts.fromSeed("000_", "two-servers");
        pipeline.publish(first);
        await().atMost(Duration.ofSeconds(60)).until(() -> publisher.report(first.slug()).sent() == readers.size());
        assertThat(a.getReceivedMessages().length).isPositive();
        assertThat(b.getReceivedMessages().length).isPositive();
        assertThat(a.getReceivedMessages().length + b.getReceivedMessages().length).isEqualTo(readers.size());

        Managers aStore = a.getManagers();
        a.stop();
        PostEvent second = SeedPosts.fromSeed("004_", "one-server-left");
        pipeline.publish(second);
        await().atMost(Duration.ofSeconds(60)).until(() -> publisher.report(second.slug()).sent() == readers.size());
        long secondOnB = Arrays.stream(b.getReceivedMessages())
            .filter(m -> PublisherDeliveryTest.subject(m).equals(second.title())).count();
        assertThat(secondOnB).as("server b covered for the stopped a").isEqualTo(readers.size());
        long firstOnB = Arrays.stream(b.getReceivedMessages())
            .filter(m -> PublisherDeliveryTest.subject(m).equals(first.title())).count();
        assertThat(aStore.getImapHostManager().getAllMessages().size() + firstOnB)
            .as("the first post went out once, split over both servers").isEqualTo(readers.size());
      }
    } finally {
      a.stop();
      b.stop();
    }
  }

  @Test
  void smtpServerDownForThirtySecondsMidSendLosesNothing(KafkaBroker broker) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    List<String> readers = IntStream.range(0, 60).mapToObj(i -> "r" + i + "@example.com").toList();
    List<MimeMessage> received = new ArrayList<>();
    GreenMail first = new GreenMail(setup);
    first.start();
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), port, state)) {
      pipeline.set("PRESSLINE_SMTP_RATE_LIMIT", "10").set("PRESSLINE_SMTP_CONCURRENCY", "2")
          .set("PRESSLINE_SMTP_MAX_ATTEMPTS", "100").set("PRESSLINE_SMTP_TIMEOUT", "5s");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        readers.forEach(r -> publisher.addConfirmedSubscriber(r, "test"));
        PostEvent post = SeedPosts.fromSeed("002_", "outage");
        pipeline.publish(post);
        await().atMost(Duration.ofSeconds(30)).until(() -> first.getReceivedMessages().length >= 10);
        // stop() starts a fresh store: keep hold of the old one to count what it received
        Managers firstStore = first.getManagers();
        first.stop();
        firstStore.getImapHostManager().getAllMessages().forEach(m -> received.add(m.getMimeMessage()));
        assertThat(received.size()).as("stopped mid-send").isLessThan(readers.size());

        // the outage: mailers keep retrying with backoff while nothing listens on the port
        await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(31)).until(() -> true);
        assertThat(publisher.report(post.slug()).failed()).isZero();

        GreenMail second = new GreenMail(setup);
        second.start();
        try {
          await().atMost(Duration.ofSeconds(90)).until(() -> publisher.report(post.slug()).sent() == readers.size());
          received.addAll(List.of(second.getReceivedMessages()));
        } finally {
          second.stop();
        }
      }
    } finally {
      first.stop();
    }
    Map<String, Long> perReader = received.stream()
        .collect(Collectors.groupingBy(PublisherDeliveryTest::recipient, Collectors.counting()));
    assertThat(perReader.keySet()).as("none lost").isEqualTo(Set.copyOf(readers));
    long duplicates = perReader.values().stream().mapToLong(n -> n - 1).sum();
    assertThat(duplicates).as("at most the messages in flight when the server went away").isLessThanOrEqualTo(2);
  }
}
