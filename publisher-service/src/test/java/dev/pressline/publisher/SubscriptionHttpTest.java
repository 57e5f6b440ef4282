package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Double opt-in, one-click unsubscribe, rate limiting, admin token and health over real HTTP. */
@ExtendWith(KafkaBrokerExtension.class)
class SubscriptionHttpTest {

  @RegisterExtension
  final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path state;

  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Test
  void doubleOptInThenOneClickUnsubscribeHonouredForTheNextPost(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      String base = "http://localhost:" + publisher.httpPort();
      assertThat(get(base + "/health").statusCode()).isEqualTo(200);
      assertThat(get(base + "/health").body()).contains("\"status\":\"UP\"");
      assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(base + "/health/live").body()).contains("\"status\":\"ALIVE\"", "\"mailerRunning\":true");

      HttpResponse<String> subscribed = post(base + "/subscribe", "application/x-www-form-urlencoded",
          "email=%20New.Reader%40Example.COM%20");
      assertThat(subscribed.statusCode()).isEqualTo(202);
      assertThat(subscribed.body()).contains("New.Reader@example.com");
      await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 1);
      MimeMessage confirmation = mail.getReceivedMessages()[0];
      assertThat(confirmation.getSubject()).startsWith("Please confirm your subscription");
      assertThat(confirmation.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
      assertThat(publisher.subscriberStatus("New.Reader@example.com")).isEqualTo(SubscriberStatus.PENDING);

      String confirmLink = link(PublisherDeliveryTest.part(confirmation, "text/plain"), "/confirm\\?token=[^\\s]+");
      HttpResponse<String> confirmPage = get(confirmLink.replace("http://localhost:8081", base));
      assertThat(confirmPage.statusCode()).isEqualTo(200);
      assertThat(confirmPage.body()).contains("<form method=\"post\"");
      HttpResponse<String> confirmed = post(confirmLink.replace("http://localhost:8081", base),
          "application/x-www-form-urlencoded", "");
      assertThat(confirmed.statusCode()).isEqualTo(200);
      assertThat(confirmed.body()).contains("You are subscribed");
      assertThat(post(confirmLink.replace("http://localhost:8081", base), "application/x-www-form-urlencoded", "")
          .statusCode()).as("a second click on the same button").isEqualTo(200);
      assertThat(publisher.subscriberStatus("New.Reader@example.com")).isEqualTo(SubscriberStatus.CONFIRMED);

      pipeline.publish(SeedPosts.fromSeed("000_", "first-post"));
      await().atMost(Duration.ofSeconds(30)).until(() -> mail.getReceivedMessages().length == 2);
      MimeMessage newsletter = mail.getReceivedMessages()[1];
      String header = newsletter.getHeader("List-Unsubscribe")[0];
      Matcher url = Pattern.compile("<(http[^>]+)>").matcher(header);
      assertThat(url.find()).isTrue();
      String unsubscribe = url.group(1).replace("http://localhost:8081", base);

      HttpResponse<String> page = get(unsubscribe);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<form method=\"post\"").contains("Unsubscribe");
      assertThat(publisher.subscriberStatus("New.Reader@example.com"))
          .as("GET alone does not unsubscribe").isEqualTo(SubscriberStatus.CONFIRMED);

      HttpResponse<String> oneClick = post(unsubscribe, "application/x-www-form-urlencoded",
          "List-Unsubscribe=One-Click");
      assertThat(oneClick.statusCode()).isEqualTo(200);
      assertThat(oneClick.headers().firstValue("Location")).isEmpty();
      assertThat(publisher.subscriberStatus("New.Reader@example.com")).isEqualTo(SubscriberStatus.UNSUBSCRIBED);
      // the old confirmation link, replayed (history, a link scanner), does not sign them up again
      assertThat(post(confirmLink.replace("http://localhost:8081", base), "application/x-www-form-urlencoded", "")
          .statusCode()).isEqualTo(400);
      assertThat(publisher.subscriberStatus("New.Reader@example.com")).isEqualTo(SubscriberStatus.UNSUBSCRIBED);

      publisher.addConfirmedSubscriber("witness@example.org", "test");
      pipeline.publish(SeedPosts.fromSeed("001_", "second-post"));
      await().atMost(Duration.ofSeconds(30)).until(() -> mail.getReceivedMessages().length == 3);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
          .until(() -> mail.getReceivedMessages().length == 3);
      assertThat(PublisherDeliveryTest.recipient(mail.getReceivedMessages()[2])).isEqualTo("witness@example.org");
    }
  }

  @Test
  void refusesForgedAndMisusedTokensAndBadAddresses(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state);
        PublisherService publisher = PublisherService.start(pipeline.config())) {
      String base = "http://localhost:" + publisher.httpPort();
      publisher.addConfirmedSubscriber("ann@example.com", "test");

      assertThat(post(base + "/unsubscribe?token=forged.token", "application/x-www-form-urlencoded",
          "List-Unsubscribe=One-Click").statusCode()).isEqualTo(400);
      assertThat(get(base + "/confirm?token=").statusCode()).isEqualTo(400);
      assertThat(publisher.subscriberStatus("ann@example.com")).isEqualTo(SubscriberStatus.CONFIRMED);

      HttpResponse<String> bad = post(base + "/subscribe", "application/json", "{\"email\":\"not an address\"}");
      assertThat(bad.statusCode()).isEqualTo(400);
      HttpResponse<String> injected = post(base + "/subscribe", "application/json",
          "{\"email\":\"x@example.com\\r\\nBcc: victim@example.net\"}");
      assertThat(injected.statusCode()).isEqualTo(400);
      HttpResponse<String> json = post(base + "/subscribe", "application/json", "{\"email\":\"joe@example.com\"}");
      assertThat(json.statusCode()).isEqualTo(202);
      assertThat(json.body()).contains("\"status\":\"pending\"");
      await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 1);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> publisher.subscriberStatus("joe@example.com") == SubscriberStatus.PENDING);
      // asking again at once sends no second confirmation: nobody can flood an inbox through the form
      assertThat(post(base + "/subscribe", "application/json", "{\"email\":\"joe@example.com\"}").statusCode())
          .isEqualTo(202);
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
          .until(() -> mail.getReceivedMessages().length == 1);
      // a confirmation token is not an unsubscribe token, and cannot be moved to another address
      String confirmLink = link(PublisherDeliveryTest.part(mail.getReceivedMessages()[0], "text/plain"),
          "/confirm\\?token=[^\\s]+");
      String token = confirmLink.substring(confirmLink.indexOf("token=") + 6);
      assertThat(post(base + "/unsubscribe?token=" + token, "application/x-www-form-urlencoded",
          "List-Unsubscribe=One-Click").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void rateLimitsSubscribeRequestsPerClientAndProtectsAdminActions(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state)) {
      pipeline.set("PRESSLINE_PUBLISHER_SUBSCRIBE_LIMIT_PER_MINUTE", "3").set("PRESSLINE_ADMIN_TOKEN", "s3cret-admin");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        String base = "http://localhost:" + publisher.httpPort();
        for (int i = 0; i < 3; i++) {
          assertThat(post(base + "/subscribe", "application/json", "{\"email\":\"r" + i + "@example.com\"}")
              .statusCode()).isEqualTo(202);
        }
        HttpResponse<String> limited = post(base + "/subscribe", "application/json", "{\"email\":\"r9@example.com\"}");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("60");

        assertThat(get(base + "/admin/report?slug=x").statusCode()).isEqualTo(401);
        HttpRequest wrong = HttpRequest.newBuilder(URI.create(base + "/admin/report?slug=x"))
            .header("Authorization", "Bearer wrong").build();
        assertThat(http.send(wrong, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpRequest right = HttpRequest.newBuilder(URI.create(base + "/admin/report?slug=x"))
            .header("Authorization", "Bearer s3cret-admin").build();
        HttpResponse<String> report = http.send(right, HttpResponse.BodyHandlers.ofString());
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"slug\" : \"x\"");
      }
    }
  }

  @Test
  void bounceReportsSuppressPermanentFailuresOnly(KafkaBroker broker) throws Exception {
    try (TestPipeline pipeline = new TestPipeline(broker.freshSettings(), mail.getSmtp().getPort(), state)) {
      pipeline.set("PRESSLINE_ADMIN_TOKEN", "bounce-admin");
      try (PublisherService publisher = PublisherService.start(pipeline.config())) {
        publisher.addConfirmedSubscriber("gone@example.com", "test");
        publisher.addConfirmedSubscriber("slow@example.com", "test");
        String dsn = String.join("\r\n",
            "From: MAILER-DAEMON@mx.example.com",
            "To: newsletter@localhost",
            "Subject: Undelivered Mail Returned to Sender",
            "MIME-Version: 1.0",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"",
            "",
            "--B",
            "Content-Type: text/plain",
            "",
            "Your message could not be delivered.",
            "--B",
            "Content-Type: message/delivery-status",
            "",
            "Reporting-MTA: dns; mx.example.com",
            "",
            "Final-Recipient: rfc822; gone@example.com",
            "Action: failed",
            "Status: 5.1.1",
            "Diagnostic-Code: smtp; 550 5.1.1 user unknown",
            "",
            "Final-Recipient: rfc822; slow@example.com",
            "Action: delayed",
            "Status: 4.4.1",
            "",
            "--B--",
            "");
        String base = "http://localhost:" + publisher.httpPort();
        HttpRequest withoutToken = HttpRequest.newBuilder(URI.create(base + "/admin/bounces"))
            .POST(HttpRequest.BodyPublishers.ofString(dsn)).build();
        assertThat(http.send(withoutToken, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpRequest report = HttpRequest.newBuilder(URI.create(base + "/admin/bounces"))
            .header("Authorization", "Bearer bounce-admin").header("Content-Type", "message/rfc822")
            .POST(HttpRequest.BodyPublishers.ofString(dsn)).build();
        HttpResponse<String> response = http.send(report, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("gone@example.com").doesNotContain("slow@example.com");
        await().atMost(Duration.ofSeconds(10))
            .until(() -> publisher.subscriberStatus("gone@example.com") == SubscriberStatus.BOUNCED);
        assertThat(publisher.subscriberStatus("slow@example.com")).isEqualTo(SubscriberStatus.CONFIRMED);
      }
    }
  }

  private static String link(String text, String pattern) {
    Matcher m = Pattern.compile("http://[^\\s]+?" + pattern).matcher(text);
    assertThat(m.find()).as("link " + pattern + " in " + text).isTrue();
    return m.group();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String type, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
