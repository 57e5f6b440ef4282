package dev.pressline.publisher.subscribe;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.PublisherException;
import dev.pressline.publisher.render.EmailRenderer;
import dev.pressline.publisher.render.MessageFactory;
import dev.pressline.publisher.render.RenderedEmail;
import dev.pressline.publisher.smtp.MailSender;
import dev.pressline.publisher.smtp.MessageSigner;
import dev.pressline.publisher.smtp.SendResult;
import dev.pressline.publisher.smtp.SmtpConfig;
import dev.pressline.publisher.token.InvalidTokenException;
import dev.pressline.publisher.token.Links;
import dev.pressline.publisher.token.TokenPurpose;
import dev.pressline.publisher.token.TokenSigner;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Double opt-in and unsubscribe: what the subscribe, confirm and unsubscribe endpoints do. */
public final class Subscriptions implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
  private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);
  /** At most one confirmation mail per address in this time. */
  private static final Duration RESEND_AFTER = Duration.ofMinutes(10);
  /** Subscribe requests waiting for {@link #requests} past this many are refused (a Kafka outage, a flood). */
  private static final int MAX_QUEUED_REQUESTS = 10_000;
  /** Past this many addresses the memory of confirmation mails sent is swept of expired entries. */
  private static final int SWEEP_SENT_AT = 10_000;
  /**
   * A request Kafka did not take is tried again, waiting this long first and twice as long each time
   * after, up to {@link #RECORD_RETRY_MAX}: the answer has told the person a mail is on its way.
   */
  private static final Duration RECORD_RETRY_FIRST = Duration.ofSeconds(5);
  private static final Duration RECORD_RETRY_MAX = Duration.ofMinutes(5);
  /** How long after the request its recording is tried; past that the person has to ask again. */
  private static final Duration RECORD_RETRY_FOR = Duration.ofHours(1);

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
   * Subscribe requests are worked off here, after the answer: the lookup, the write and the mail
   * take as long for a subscribed address as for a new one, and none of it can be timed from outside.
   */
  private final Executor requests;
  /**
   * When this instance last claimed the confirmation mail of an address. Claimed atomically, so
   * concurrent requests for one address send one mail even before its PENDING state is back from
   * the topic.
   */
  private final ConcurrentHashMap<String, Instant> confirmationClaimedAt = new ConcurrentHashMap<>();
  private int sweepAbove = SWEEP_SENT_AT;
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
    this(list, writer, tokens, links, renderer, messages, signer, sender, smtp, clock, new ThreadPoolExecutor(1, 1, 0,
        TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(MAX_QUEUED_REQUESTS), r -> {
          Thread t = new Thread(r, "subscribe-requests");
          t.setDaemon(true);
          return t;
        }));
  }

  /** With the executor that works off subscribe requests (tests hold it to see what the answer waited for). */
  Subscriptions(SubscriberList list, SubscriberWriter writer, TokenSigner tokens, Links links,
      EmailRenderer renderer, MessageFactory messages, MessageSigner signer, MailSender sender, SmtpConfig smtp,
      Clock clock, Executor requests) {
    this.requests = requireNonNull(requests, "requests");
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
   * Checks the address and queues the request; returns the normalised address at once. In the
   * background a pending subscriber is recorded and the confirmation mail sent. Someone already
   * confirmed is left as they are (and gets no mail); the answer is the same and leaves before
   * anything is looked up, so the form reveals nothing about who is subscribed.
   *
   * @throws InvalidAddressException when the text is not an address we can send to
   * @throws java.util.concurrent.RejectedExecutionException when too many requests wait already
   */
  public String requestSubscription(String rawEmail, String source) {
    String email = EmailAddress.check(rawEmail);
    Instant askedAt = clock.instant();
    requests.execute(() -> workOffRequest(email, source, askedAt, RECORD_RETRY_FIRST));
    return email;
  }

  /** @param retryIn how long to wait before trying again if Kafka does not take the request now */
  private void workOffRequest(String email, String source, Instant askedAt, Duration retryIn) {
    try {
      Optional<SubscriberEvent> current = list.get(email);
      if (current.isPresent() && current.get().status() == SubscriberStatus.CONFIRMED) {
        log.info("Subscribe request for {}, who is already subscribed: nothing to do", email);
        return;
      }
      Instant now = clock.instant();
      if (!claimConfirmation(email, current, now)) {
        // requests from many addresses must not flood one inbox with confirmation mails
        log.info("Subscribe request for {}: a confirmation mail went out less than {} min ago; not sending another",
            email, RESEND_AFTER.toMinutes());
        return;
      }
      try {
        writer.write(email, SubscriberStatus.PENDING, source);
      } catch (RuntimeException e) {
        confirmationClaimedAt.remove(email, now); // nothing was sent: the next request may try again
        retryLater(email, source, askedAt, retryIn, e);
        return;
      }
      mailer.execute(() -> sendConfirmation(email));
      log.info("{} asked to subscribe ({}); confirmation mail on its way", email, source);
    } catch (RuntimeException e) {
      log.error("Subscribe request for {} failed: {}", email, e.getMessage(), e);
    }
  }

  /**
   * Queues the request again after {@code retryIn}, or gives it up once {@link #RECORD_RETRY_FOR}
   * has passed since it was made; a Kafka outage then costs the person a wait, not their request.
   */
  private void retryLater(String email, String source, Instant askedAt, Duration retryIn, RuntimeException failure) {
    if (clock.instant().plus(retryIn).isAfter(askedAt.plus(RECORD_RETRY_FOR))) {
      log.error("Gave up the subscribe request for {} made at {}: Kafka has not taken it ({}). No confirmation mail "
          + "went out; they have to subscribe again", email, askedAt, failure.getMessage());
      return;
    }
    log.warn("Could not record the subscribe request for {} ({}); trying again in {} s", email, failure.getMessage(),
        retryIn.toSeconds());
    Duration after = retryIn.multipliedBy(2).compareTo(RECORD_RETRY_MAX) > 0 ? RECORD_RETRY_MAX : retryIn.multipliedBy(2);
    mailer.schedule(() -> {
      try {
        requests.execute(() -> workOffRequest(email, source, askedAt, after));
      } catch (RejectedExecutionException full) {
        log.error("Gave up the subscribe request for {} made at {}: too many requests are waiting for Kafka. No "
            + "confirmation mail went out; they have to subscribe again", email, askedAt);
      }
    }, retryIn.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Claims the one confirmation mail {@code email} may get in {@link #RESEND_AFTER}; false when a
   * mail went out (here, or by any instance as the list shows) within that time. Atomic per address.
   */
  private boolean claimConfirmation(String email, Optional<SubscriberEvent> current, Instant now) {
    Instant cutoff = now.minus(RESEND_AFTER);
    // a confirmation mail that could not be sent at all does not count: asking again sends one
    boolean lastFailed = confirmationFailed.remove(email);
    boolean pendingRecently = !lastFailed && current.isPresent()
        && current.get().status() == SubscriberStatus.PENDING && current.get().changedAt().isAfter(cutoff);
    boolean[] claimed = {false};
    confirmationClaimedAt.compute(email, (key, last) -> {
      if (pendingRecently || !lastFailed && last != null && last.isAfter(cutoff)) {
        return last;
      }
      claimed[0] = true;
      return now;
    });
    sweep(cutoff);
    return claimed[0];
  }

  /** Forgets claims older than the resend interval once there are many; they decide nothing any more. */
  private synchronized void sweep(Instant cutoff) {
    if (confirmationClaimedAt.size() > sweepAbove) {
      confirmationClaimedAt.values().removeIf(at -> !at.isAfter(cutoff));
      // sweeping again only after the map has doubled keeps the cost per request constant
      sweepAbove = Math.max(SWEEP_SENT_AT, 2 * confirmationClaimedAt.size());
    }
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

  /**
   * The address a confirmation token was made for, changing nothing: the page a confirmation link
   * opens says at once when the link is bad or expired. Throws InvalidTokenException for a bad token.
   */
  public String checkConfirmToken(String token) {
    return tokens.verify(TokenPurpose.CONFIRM, token);
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
    String email = EmailAddress.check(rawEmail);
    writer.write(email, SubscriberStatus.CONFIRMED, source);
    if (!list.await(email, s -> s.status() == SubscriberStatus.CONFIRMED, VISIBLE_WITHIN)) {
      throw new PublisherException(
          "subscriber " + email + " was written but did not show up in the list within " + VISIBLE_WITHIN);
    }
    return email;
  }

  @Override
  public void close() {
    if (requests instanceof ExecutorService own) {
      own.shutdown();
      try {
        own.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    mailer.shutdown();
    try {
      mailer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
