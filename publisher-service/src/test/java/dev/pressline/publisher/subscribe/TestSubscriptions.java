package dev.pressline.publisher.subscribe;

import dev.pressline.publisher.render.EmailRenderer;
import dev.pressline.publisher.render.MailIdentity;
import dev.pressline.publisher.render.MessageFactory;
import dev.pressline.publisher.smtp.MailSender;
import dev.pressline.publisher.smtp.MessageSigner;
import dev.pressline.publisher.smtp.SmtpConfig;
import dev.pressline.publisher.smtp.SmtpSecurity;
import dev.pressline.publisher.token.Links;
import dev.pressline.publisher.token.TokenSigner;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executor;

/** A {@link Subscriptions} with test links, templates and signing around the list, writer and sender a test gives. */
final class TestSubscriptions {

  private TestSubscriptions() {}

  static Subscriptions of(SubscriberList list, SubscriberWriter writer, MailSender sender, Clock clock,
      Executor requests) throws AddressException {
    MailIdentity identity = new MailIdentity(new InternetAddress("letter@example.org"), null, "unsubscribe@example.org");
    TokenSigner tokens = new TokenSigner("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8), clock);
    return new Subscriptions(list, writer, tokens,
        new Links(URI.create("http://localhost:8081"), tokens, Duration.ofDays(1), Duration.ofDays(1)),
        new EmailRenderer(URI.create("http://localhost:8080"), identity),
        new MessageFactory(Session.getInstance(new Properties()), identity, clock), MessageSigner.none(), sender,
        new SmtpConfig("127.0.0.1", 25, null, null, SmtpSecurity.NONE, 1, 1, 0, 1, Duration.ofMillis(100),
            Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(5)),
        clock, requests);
  }
}
