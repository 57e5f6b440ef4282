package dev.pressline.publisher.delivery;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.DeliveryJob;
import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.catalogue.PostCatalogue;
import dev.pressline.publisher.deliverylog.DeliveryLogView;
import dev.pressline.publisher.deliverylog.DeliveryLogWriter;
import dev.pressline.publisher.metrics.PublisherMetrics;
import dev.pressline.publisher.render.EmailRenderer;
import dev.pressline.publisher.render.MessageFactory;
import dev.pressline.publisher.render.EncodedEmail;
import dev.pressline.publisher.render.PersonalisableEmail;
import dev.pressline.publisher.smtp.MailSender;
import dev.pressline.publisher.smtp.MessageSigner;
import dev.pressline.publisher.smtp.SendResult;
import dev.pressline.publisher.smtp.SmtpConfig;
import dev.pressline.publisher.subscribe.SubscriberList;
import dev.pressline.publisher.subscribe.SubscriberWriter;
import dev.pressline.publisher.token.Links;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one job: decides from the delivery log whether it is still to be sent, renders it, sends
 * it with retries, and records every step. The log entry {@code SENDING "handing to SMTP"} is
 * written and acknowledged before each SMTP attempt, so after a hard kill the log names every
 * message that may have gone out twice. The attempt's outcome is written without holding the
 * connection; the {@link InDoubtWindow} keeps at most {@code window × connections} attempts whose
 * outcome is not durable yet, which bounds the duplicates a hard kill can cause.
 */
public final class Delivery implements Mailer.Deliverer {

  private static final Logger log = LoggerFactory.getLogger(Delivery.class);

  /**
   * The note of a SENDING entry whose SMTP attempt may have completed (a hard kill here may
   * duplicate); for people: the entry's {@code inFlight} field says it.
   */
  public static final String IN_FLIGHT = "handing to SMTP";
  /**
   * Said in the note of an entry that may stand for a second copy; for people: the entry's
   * {@code possibleDuplicate} field says it.
   */
  public static final String POSSIBLE_DUPLICATE = "possible duplicate";
  private static final String DOUBT_NOTE =
      "[" + POSSIBLE_DUPLICATE + ": an earlier attempt may have reached the server before it was cut off]";

  private final DeliveryLogView logView;
  private final DeliveryLogWriter logWriter;
  private final PostCatalogue catalogue;
  private final SubscriberList subscribers;
  private final SubscriberWriter subscriberWriter;
  private final EmailRenderer renderer;
  private final MessageFactory messages;
  private final MessageSigner signer;
  private final Links links;
  private final MailSender sender;
  private final SmtpConfig smtp;
  private final PublisherMetrics metrics;
  private final Clock clock;
  private final InDoubtWindow window;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Map<String, RenderedPost> rendered = new ConcurrentHashMap<>();

  public Delivery(DeliveryLogView logView, DeliveryLogWriter logWriter, PostCatalogue catalogue,
      SubscriberList subscribers, SubscriberWriter subscriberWriter, EmailRenderer renderer,
      MessageFactory messages, MessageSigner signer, Links links, MailSender sender, SmtpConfig smtp,
      PublisherMetrics metrics, Clock clock) {
    this.logView = requireNonNull(logView, "logView");
    this.logWriter = requireNonNull(logWriter, "logWriter");
    this.catalogue = requireNonNull(catalogue, "catalogue");
    this.subscribers = requireNonNull(subscribers, "subscribers");
    this.subscriberWriter = requireNonNull(subscriberWriter, "subscriberWriter");
    this.renderer = requireNonNull(renderer, "renderer");
    this.messages = requireNonNull(messages, "messages");
    this.signer = requireNonNull(signer, "signer");
    this.links = requireNonNull(links, "links");
    this.sender = requireNonNull(sender, "sender");
    this.smtp = requireNonNull(smtp, "smtp");
    this.metrics = requireNonNull(metrics, "metrics");
    this.clock = requireNonNull(clock, "clock");
    this.window = new InDoubtWindow(smtp.inDoubtWindow(), smtp.concurrency());
  }

  /** Messages that may be in doubt at once, window × connections: the most a hard kill can duplicate. */
  public int inDoubtLimit() {
    return window.size();
  }

  /** Attempts handed out whose outcome is not durable yet. */
  public int inDoubtNow() {
    return window.taken();
  }

  /** Makes every further call abandon its job untouched: the job stays open and is picked up again. */
  @Override
  public void stop() {
    stopping.countDown();
  }

  /**
   * What became of one call of {@link #deliver}.
   *
   * @param recorded completes once the entry that settles this attempt is durable on Kafka: a DONE
   *     job is finished, and a RETRY may start its next attempt, only then
   */
  public record Result(Kind kind, Duration retryAfter, CompletableFuture<Void> recorded) {
    /** Whether the job is settled, must be tried again later, or was left untouched. */
    public enum Kind { DONE, RETRY, ABANDONED }

    public Result {
      requireNonNull(kind, "kind");
      requireNonNull(retryAfter, "retryAfter");
      requireNonNull(recorded, "recorded");
    }

    static final Result DONE = done(CompletableFuture.completedFuture(null));
    static final Result ABANDONED = new Result(Kind.ABANDONED, Duration.ZERO, CompletableFuture.completedFuture(null));

    static Result done(CompletableFuture<Void> recorded) {
      return new Result(Kind.DONE, Duration.ZERO, recorded);
    }

    static Result retryAfter(Duration wait) {
      return retryAfter(wait, CompletableFuture.completedFuture(null));
    }

    static Result retryAfter(Duration wait, CompletableFuture<Void> recorded) {
      return new Result(Kind.RETRY, wait, recorded);
    }
  }

  /**
   * Makes one attempt at the job. DONE: it has a final outcome in the log (or needed none); RETRY: a
   * temporary failure, try again after the wait (the log says so); ABANDONED: stopping, nothing done.
   * Never throws for SMTP trouble; a Kafka failure throws and leaves the job open.
   */
  @Override
  public Result deliver(DeliveryJob job) throws InterruptedException {
    if (stopping.getCount() == 0) {
      // shutting down: the job stays uncommitted and comes back to whoever takes over
      return Result.ABANDONED;
    }
    String key = job.deliveryKey();
    Optional<DeliveryRecord> existing = logView.get(key);
    int attempts = 0;
    boolean possibleDuplicate = false;
    if (existing.isPresent()) {
      DeliveryRecord before = existing.get();
      switch (before.status()) {
        case SENT, BOUNCED -> {
          log.debug("Skipping {}: already {}", key, before.status());
          return Result.DONE;
        }
        case FAILED -> {
          // a retry job is newer than the failure it retries; a redelivered old job is not
          if (!job.createdAt().isAfter(before.at())) {
            return Result.DONE;
          }
        }
        case SENDING -> {
          attempts = before.attempts();
          possibleDuplicate = mayHaveGoneOut(before);
        }
        default -> throw new IllegalStateException("unknown status " + before.status());
      }
    }
    Optional<SubscriberEvent> subscriber = subscribers.get(job.email());
    if (subscriber.isPresent() && !subscriber.get().status().receivesPosts()) {
      record(job, DeliveryStatus.FAILED, attempts,
          "not sent: the subscriber is " + subscriber.get().status().name().toLowerCase(), possibleDuplicate);
      log.info("Not sending '{}' to {}: the address is {}", job.mailing(), job.email(),
          subscriber.get().status().name().toLowerCase());
      return Result.DONE;
    }
    Optional<PostEvent> post = catalogue.await(job.slug(), job.revision(), Duration.ofSeconds(30));
    if (post.isEmpty() || post.get().change() == PostChange.RETRACTED) {
      String why = post.isEmpty() ? "the post is not in the catalogue" : "the post was retracted";
      record(job, DeliveryStatus.FAILED, attempts, "not sent: " + why, possibleDuplicate);
      log.warn("Not sending '{}' to {}: {}", job.mailing(), job.email(), why);
      return Result.DONE;
    }
    URI unsubscribe = links.unsubscribe(job.email());
    EncodedEmail content = personalised(post.get(), unsubscribe);
    // the Message-ID is derived from the mailing and the address: a copy sent again after a crash
    // carries the first one's ID (providers keep one copy per ID), a second mailing one of its own
    MimeMessage message = signer.sign(messages.createNewsletter(content, job.email(), job.mailing(), unsubscribe));
    attempts++;
    // the permit is taken before the intent and given back once the entry that settles this attempt
    // is durable: no more than the window's size of messages can be handed over without an outcome
    InDoubtWindow.Permit permit = window.acquire();
    SendResult result;
    try {
      logWriter.writeAcknowledged(entry(job, DeliveryStatus.SENDING, attempts,
          IN_FLIGHT + " (attempt " + attempts + ")", true, possibleDuplicate));
      result = sender.send(message);
    } catch (RuntimeException e) {
      // nothing went out, or the intent names the message: the log holds what a restart needs
      permit.release();
      throw e;
    }
    return settle(job, attempts, possibleDuplicate, result, permit);
  }

  /** Records the attempt's outcome without waiting; the permit goes back once Kafka has it. */
  private Result settle(DeliveryJob job, int attempts, boolean possibleDuplicate, SendResult result,
      InDoubtWindow.Permit permit) {
    switch (result.kind()) {
      case ACCEPTED -> {
        String note = possibleDuplicate ? " " + DOUBT_NOTE : "";
        CompletableFuture<Void> recorded = durably(entry(job, DeliveryStatus.SENT, attempts, result.reply() + note,
            false, possibleDuplicate), permit);
        metrics.sent(possibleDuplicate);
        if (possibleDuplicate) {
          log.warn("Sent '{}' to {} again after an attempt that may have reached the server (a mailer stopped "
              + "while it was in SMTP, or the connection broke after the message's end): possibly a duplicate",
              job.mailing(), job.email());
        } else {
          log.debug("Sent '{}' to {}", job.mailing(), job.email());
        }
        return Result.done(recorded);
      }
      case PERMANENT -> {
        CompletableFuture<Void> recorded = durably(entry(job, DeliveryStatus.BOUNCED, attempts, result.reply(), false,
            possibleDuplicate), permit);
        metrics.bounced();
        subscriberWriter.write(job.email(), SubscriberStatus.BOUNCED, "bounce: " + firstLine(result.reply()));
        log.warn("'{}' to {} bounced, address suppressed: {}", job.mailing(), job.email(), firstLine(result.reply()));
        return Result.done(recorded);
      }
      case TEMPORARY -> {
        // the doubt travels with the job through its retries: a message an earlier mailer may have
        // handed over, or one whose connection broke before the server's answer, may be out already
        boolean doubt = possibleDuplicate || result.mayHaveArrived();
        if (attempts >= smtp.maxAttempts()) {
          CompletableFuture<Void> recorded = durably(entry(job, DeliveryStatus.FAILED, attempts, result.reply(), false,
              doubt), permit);
          metrics.failed();
          log.warn("Gave up sending '{}' to {} after {} attempts: {}", job.mailing(), job.email(), attempts,
              firstLine(result.reply()));
          return Result.done(recorded);
        }
        Duration wait = smtp.backoffAfter(attempts);
        CompletableFuture<Void> recorded = durably(entry(job, DeliveryStatus.SENDING, attempts,
            "attempt " + attempts + " failed, retrying in " + wait.toMillis() + " ms: " + firstLine(result.reply())
                + (doubt ? " " + DOUBT_NOTE : ""), false, doubt), permit);
        metrics.retried();
        log.info("Sending '{}' to {} failed for now ({}); retry {} in {} ms", job.mailing(), job.email(),
            firstLine(result.reply()), attempts + 1, wait.toMillis());
        return Result.retryAfter(wait, recorded);
      }
      default -> {
        permit.release();
        throw new IllegalStateException("unknown result " + result.kind());
      }
    }
  }

  /** Writes the entry that supersedes the attempt's intent; its permit goes back once Kafka has it. */
  private CompletableFuture<Void> durably(DeliveryRecord entry, InDoubtWindow.Permit permit) {
    CompletableFuture<Void> recorded = logWriter.writeDurably(entry);
    // the entry is durable, or the writer closed and this process is ending: the window moves on
    recorded.whenComplete((ignored, error) -> permit.release());
    return recorded;
  }

  /**
   * The post rendered and encoded once per revision with a placeholder link, then given the
   * recipient's own unsubscribe link: rendering, sanitising and encoding per recipient cost more than
   * the SMTP conversation.
   */
  private EncodedEmail personalised(PostEvent post, URI unsubscribe) {
    PersonalisableEmail shared = rendered.compute(post.slug(), (slug, cached) ->
        // the catalogue hands out the same instance until the post changes
        cached != null && cached.post() == post
            ? cached
            : new RenderedPost(post, renderer.renderPostForEveryone(post))).email();
    // the link holds only URL-safe characters, so it reads the same escaped in HTML as in text
    return shared.fill(unsubscribe.toString());
  }

  private record RenderedPost(PostEvent post, PersonalisableEmail email) {}

  private void record(DeliveryJob job, DeliveryStatus status, int attempts, String reply, boolean possibleDuplicate) {
    logWriter.write(entry(job, status, attempts, reply, false, possibleDuplicate));
  }

  /** The notes are for people; what decides anything is in the two typed fields. */
  private DeliveryRecord entry(DeliveryJob job, DeliveryStatus status, int attempts, String reply, boolean inFlight,
      boolean possibleDuplicate) {
    return new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, job.mailing(), job.email(), status, attempts, reply,
        clock.instant(), inFlight, possibleDuplicate);
  }

  /**
   * Whether an unfinished job may already have reached its subscriber: its last attempt was in
   * flight when a mailer stopped, or an earlier attempt was in doubt and the doubt was recorded.
   */
  private static boolean mayHaveGoneOut(DeliveryRecord sending) {
    return sending.inFlight() || sending.possibleDuplicate();
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
