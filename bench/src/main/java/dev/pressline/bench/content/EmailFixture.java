package dev.pressline.bench.content;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.PostEvent;
import dev.pressline.publisher.PublisherConfig;
import dev.pressline.publisher.render.EmailRenderer;
import dev.pressline.publisher.render.MessageFactory;
import dev.pressline.publisher.render.PersonalisableEmail;
import dev.pressline.publisher.render.RenderedEmail;
import dev.pressline.publisher.smtp.SmtpSessions;
import dev.pressline.publisher.token.Links;
import dev.pressline.publisher.token.TokenSigner;
import dev.pressline.support.config.Settings;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * The publisher's own rendering pieces (renderer, message factory, signed links) with default
 * settings, so the benchmarks can render exactly the email a subscriber gets: its size sets the
 * size of the baselines' messages, and JMH times its parts.
 */
public final class EmailFixture {

  /** The placeholder the publisher renders once per post and replaces per recipient. */
  public static final String PLACEHOLDER = "https://pressline.invalid/unsubscribe-link-placeholder";

  private final EmailRenderer renderer;
  private final MessageFactory messages;
  private final Links links;

  public EmailFixture() {
    Clock clock = Clock.systemUTC();
    PublisherConfig config = PublisherConfig.from(Settings.of(Map.of(
        PublisherConfig.SIGNING_SECRET, "bench-signing-secret-0123456789")));
    this.renderer = new EmailRenderer(config.publicBaseUrl(), config.identity());
    this.messages = new MessageFactory(SmtpSessions.create(config.smtp()), config.identity(), clock);
    this.links = new Links(config.baseUrl(),
        new TokenSigner(config.signingSecret().getBytes(StandardCharsets.UTF_8), clock),
        config.confirmTokenTtl(), config.unsubscribeTokenTtl());
  }

  /** Renders the whole post for one recipient (templates, sanitiser, everything). */
  public RenderedEmail renderFully(PostEvent post, String email) {
    return renderer.renderPost(post, links.unsubscribe(email));
  }

  /** The post rendered once with the placeholder link, as the publisher caches it per post. */
  public RenderedEmail renderShared(PostEvent post) {
    return renderer.renderPost(post, URI.create(PLACEHOLDER));
  }

  /** The shared rendering encoded once with a slot for each recipient's link, as the publisher keeps it. */
  public PersonalisableEmail prepare(RenderedEmail shared) {
    return new PersonalisableEmail(shared, PLACEHOLDER);
  }

  /** The publisher's per-recipient step: sign a link, fill it into the encoded email, build the MIME message. */
  public MimeMessage personalise(PersonalisableEmail prepared, PostEvent post, String email) {
    URI unsubscribe = links.unsubscribe(email);
    return messages.create(prepared.fill(unsubscribe.toString()), email, post.slug(), unsubscribe);
  }

  /**
   * The earlier per-recipient step, kept as the baseline: splice the link into the rendered text and
   * encode the whole email for every recipient.
   */
  public MimeMessage personaliseWholeEmail(RenderedEmail shared, PostEvent post, String email) {
    URI unsubscribe = links.unsubscribe(email);
    String link = unsubscribe.toString();
    RenderedEmail own = new RenderedEmail(shared.subject(), shared.html().replace(PLACEHOLDER, link),
        shared.text().replace(PLACEHOLDER, link));
    return messages.create(own, email, post.slug(), unsubscribe);
  }

  /** The message as it goes over SMTP (encoded), for its size or to time the encoding. */
  public static byte[] encode(MimeMessage message) {
    requireNonNull(message, "message");
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      message.writeTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MessagingException e) {
      throw new IllegalStateException("cannot encode the message: " + e.getMessage(), e);
    }
  }
}
