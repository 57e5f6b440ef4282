package dev.pressline.publisher.subscribe;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.PublisherException;
import dev.pressline.publisher.delivery.MailSender;
import dev.pressline.publisher.delivery.MessageSigner;
import dev.pressline.publisher.delivery.SendResult;
import dev.pressline.publisher.delivery.SmtpConfig;
import dev.pressline.publisher.render.EmailRenderer;
import dev.pressline.publisher.render.MessageFactory;
import dev.pressline.publisher.render.RenderedEmail;
import dev.pressline.publisher.token.InvalidTokenException;
import dev.pressline.publisher.token.Links;
import dev.pressline.publisher.token.TokenPurpose;
import dev.pressline.publisher.token.TokenSigner;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Double opt-in and unsubscribe: what the subscribe, confirm and unsubscribe endpoints do. */
public final class Subscriptions implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
  private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);
  /** At most one confirmation mail per address in this time. */
  private static final Duration RESEND_AFTER = Duration.ofMinutes(10);

  private final SubscriberList list;
  private final SubscriberWriter writer;
  private final TokenSigner tokens;
  private final Links links;
  private final EmailRenderer renderer;
  private final MessageFactory messages;
  private final MessageSigner signer;
  private final MailSender sender;
  private final SmtpConfig smtp;
  private final Clock clock;
  /**
   * Confirmation mails go out in the background: a slow SMTP server must not hold the web request.
   * A temporary failure is tried again on this timer, with the newsletters' attempts and backoff.
   */
  private final ScheduledThreadPoolExecutor mailer = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "confirmation-mail");
    t.setDaemon(true);
    return t;
  });
  /**
   * Addresses whose last confirmation mail could not be sent at all: asking again must send one,
   * the limit of one mail per {@link #RESEND_AFTER} is for mails that went out.
   */
  private final Set<String> confirmationFailed = ConcurrentHashMap.newKeySet();

  public Subscriptions(SubscriberList list, SubscriberWriter writer, TokenSigner tokens, Links links,
      EmailRenderer renderer, MessageFactory messages, MessageSigner signer, MailSender sender, SmtpConfig smtp,
      Clock clock) {
    this.list = requireNonNull(list, "list");
    this.writer = requireNonNull(writer, "writer");
    this.tokens = requireNonNull(tokens, "tokens");
    this.links = requireNonNull(links, "links");
    this.renderer = requireNonNull(renderer, "renderer");
    this.messages = requireNonNull(messages, "messages");
    this.signer = requireNonNull(signer, "signer");
    this.sender = requireNonNull(sender, "sender");
    this.smtp = requireNonNull(smtp, "smtp");
    this.clock = requireNonNull(clock, "clock");
    // closing does not wait for retries due minutes later
    mailer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Records a pending subscriber and sends the confirmation mail. Someone already confirmed is left
   * as they are (and gets no mail), so the form reveals nothing about who is subscribed.
   */
  public String requestSubscription(String rawEmail, String source) {
    String email = EmailAddress.normalise(rawEmail).orElseThrow(() -> new InvalidAddressException(rawEmail));
    Optional<SubscriberEvent> current = list.get(email);
    if (current.isPresent() && current.get().status() == SubscriberStatus.CONFIRMED) {
      log.info("Subscribe request for {}, who is already subscribed: nothing to do", email);
      return email;
    }
    if (current.isPresent() && current.get().status() == SubscriberStatus.PENDING
        && current.get().changedAt().isAfter(clock.instant().minus(RESEND_AFTER))
        && !confirmationFailed.remove(email)) {
      // requests from many addresses must not flood one inbox with confirmation mails
      log.info("Subscribe request for {}: a confirmation mail went out less than {} min ago; not sending another",
          email, RESEND_AFTER.toMinutes());
      return email;
    }
    writer.write(email, SubscriberStatus.PENDING, source);
    mailer.execute(() -> sendConfirmation(email));
    log.info("{} asked to subscribe ({}); confirmation mail on its way", email, source);
    return email;
  }

  private void sendConfirmation(String email) {
    MimeMessage message;
    try {
      RenderedEmail content =
          renderer.renderConfirmation(email, links.confirm(email), links.unsubscribe(email), links.confirmTtl());
      message = signer.sign(messages.create(content, email, "confirm-" + clock.millis(), links.unsubscribe(email)));
    } catch (RuntimeException e) {
      confirmationFailed.add(email);
      log.error("Could not make the confirmation mail to {}: {}", email, e.getMessage(), e);
      return;
    }
    sendConfirmation(email, message, 1);
  }

  /** One try; a temporary failure is tried again after the backoff, up to the attempts allowed. */
  private void sendConfirmation(String email, MimeMessage message, int attempt) {
    SendResult result;
    try {
      result = sender.send(message);
    } catch (RuntimeException e) {
      result = new SendResult(SendResult.Kind.TEMPORARY, e.getMessage());
    }
    if (result.kind() == SendResult.Kind.ACCEPTED) {
      log.debug("Confirmation mail to {} sent (attempt {})", email, attempt);
      return;
    }
    if (result.kind() == SendResult.Kind.TEMPORARY && attempt < smtp.maxAttempts()) {
      Duration wait = smtp.backoffAfter(attempt);
      log.info("Confirmation mail to {} failed for now ({}); retry {} in {} ms", email, result.reply(), attempt + 1,
          wait.toMillis());
      try {
        mailer.schedule(() -> sendConfirmation(email, message, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (RejectedExecutionException e) {
        log.warn("Shutting down: the confirmation mail to {} is not tried again", email);
      }
    }
    confirmationFailed.add(email);
    log.warn("Gave up sending the confirmation mail to {} after {} attempt(s): {}; asking to subscribe again "
        + "sends a new one", email, attempt, result.reply());
  }

  /**
   * Confirms the address the token was made for; throws InvalidTokenException for a bad token. Only
   * a pending request is confirmed: a link replayed after its owner left (a link scanner, a
   * browser's history, someone else) must not sign them up again.
   */
  public String confirm(String token) throws InterruptedException {
    String email = tokens.verify(TokenPurpose.CONFIRM, token);
    // the pending request may still be on its way from the topic to this instance's list
    list.await(email, s -> true, Duration.ofSeconds(5));
    Optional<SubscriberStatus> status = list.get(email).map(SubscriberEvent::status);
    if (status.equals(Optional.of(SubscriberStatus.CONFIRMED))) {
      return email; // a second click on the same link: already done
    }
    if (!status.equals(Optional.of(SubscriberStatus.PENDING))) {
      log.info("Confirmation link for {} used while the address is {}: refused",
          email, status.map(s -> s.name().toLowerCase(Locale.ROOT)).orElse("unknown"));
      throw new InvalidTokenException(
          "this confirmation link is no longer valid; please subscribe again");
    }
    writer.write(email, SubscriberStatus.CONFIRMED, "web");
    list.await(email, s -> s.status() == SubscriberStatus.CONFIRMED, VISIBLE_WITHIN);
    log.info("{} confirmed the subscription", email);
    return email;
  }

  /** Unsubscribes the address the token was made for; it gets nothing more from the next post on. */
  public String unsubscribe(String token, String how) throws InterruptedException {
    String email = tokens.verify(TokenPurpose.UNSUBSCRIBE, token);
    Optional<SubscriberEvent> current = list.get(email);
    if (current.isEmpty() || current.get().status() != SubscriberStatus.UNSUBSCRIBED) {
      writer.write(email, SubscriberStatus.UNSUBSCRIBED, how);
      list.await(email, s -> s.status() == SubscriberStatus.UNSUBSCRIBED, VISIBLE_WITHIN);
      log.info("{} unsubscribed ({})", email, how);
    }
    return email;
  }

  /** Adds a subscriber who needs no confirmation mail (demo, admin, import); returns once this instance sees it. */
  public String addConfirmed(String rawEmail, String source) throws InterruptedException {
    String email = EmailAddress.normalise(rawEmail).orElseThrow(() -> new InvalidAddressException(rawEmail));
    writer.write(email, SubscriberStatus.CONFIRMED, source);
    if (!list.await(email, s -> s.status() == SubscriberStatus.CONFIRMED, VISIBLE_WITHIN)) {
      throw new PublisherException(
          "subscriber " + email + " was written but did not show up in the list within " + VISIBLE_WITHIN);
    }
    return email;
  }

  @Override
  public void close() {
    mailer.shutdown();
    try {
      mailer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
