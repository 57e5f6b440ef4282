package dev.pressline.publisher.smtp;

import static java.util.Objects.requireNonNull;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends over a pool of reused SMTP connections, as many as the configured concurrency. A connection
 * that fails is closed and opened again on its next use. Servers close connections that sit idle
 * (the mail catcher after 20 s, real servers after one to five minutes): one idle for longer than
 * {@code idleCheck} is checked with a NOOP before it carries a message, and a message whose
 * connection breaks before its end went out is sent once more on a new connection at once, since
 * the server cannot have taken it. Sorts every failure into temporary (4xx, connection) or permanent
 * (5xx). A connection goes back to the pool as soon as the server has answered: recording the
 * outcome is the caller's business (see {@code delivery.InDoubtWindow}).
 */
public final class SmtpMailSender implements MailSender {

  private static final Logger log = LoggerFactory.getLogger(SmtpMailSender.class);

  /** Used where no setting says otherwise; see {@code PRESSLINE_SMTP_IDLE_CHECK}. */
  public static final Duration DEFAULT_IDLE_CHECK = Duration.ofSeconds(5);

  private final Session session;
  private final BlockingQueue<Connection> idle;
  private final RateLimiter rateLimiter;
  private final long idleCheckNanos;
  /** Present for plain SMTP: connections are opened here so that messages go out through DataSection. */
  private final Optional<PlainSmtpSockets> plainSockets;
  private volatile boolean closed;

  public SmtpMailSender(Session session, int connections, RateLimiter rateLimiter) {
    this(session, connections, rateLimiter, DEFAULT_IDLE_CHECK);
  }

  /** @param idleCheck a connection unused for longer than this is checked (NOOP) before it is used */
  public SmtpMailSender(Session session, int connections, RateLimiter rateLimiter, Duration idleCheck) {
    this.session = requireNonNull(session, "session");
    this.rateLimiter = requireNonNull(rateLimiter, "rateLimiter");
    this.idleCheckNanos = requireNonNull(idleCheck, "idleCheck").toNanos();
    this.idle = new ArrayBlockingQueue<>(connections);
    String protocol = session.getProperty("mail.transport.protocol");
    this.plainSockets = PlainSmtpSockets.of(session);
    for (int i = 0; i < connections; i++) {
      idle.add(new Connection(new TrackingSmtpTransport(session, protocol == null ? "smtp" : protocol)));
    }
  }

  @Override
  public SendResult send(MimeMessage message) {
    Connection connection;
    try {
      connection = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendResult(SendResult.Kind.TEMPORARY, "interrupted while waiting for an SMTP connection");
    }
    try {
      return attempt(connection, message);
    } finally {
      if (closed) {
        connection.close();
      }
      idle.add(connection);
    }
  }

  private SendResult attempt(Connection connection, MimeMessage message) {
    try {
      rateLimiter.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendResult(SendResult.Kind.TEMPORARY, "interrupted");
    }
    Try first = attemptOnce(connection, message);
    if (!first.brokeBeforeTheEnd()) {
      return first.result();
    }
    // the server closed the connection (idle, restarted, dropped it) before the message's end: it
    // cannot have the message, so a new connection takes it now instead of after a retry wait. Once
    // only: a server that keeps dropping is retried with the usual backoff
    log.debug("SMTP connection broke before the message's end ({}); sending on a new connection",
        first.result().reply());
    return attemptOnce(connection, message).result();
  }

  /** One try on {@code connection}, and whether it broke without a reply before the message's end. */
  private record Try(SendResult result, boolean brokeBeforeTheEnd) {}

  private Try attemptOnce(Connection connection, MimeMessage message) {
    TrackingSmtpTransport transport = connection.transport;
    boolean conversing = false;
    try {
      // our own flag, not isConnected() each time: that would cost a NOOP round trip per message;
      // only a connection idle for long enough that the server may have closed it is checked
      if (connection.open && System.nanoTime() - connection.lastUsedNanos > idleCheckNanos
          && !transport.isConnected()) {
        connection.close();
      }
      if (!connection.open) {
        if (plainSockets.isPresent()) {
          transport.connect(plainSockets.get().open());
        } else {
          transport.connect();
        }
        connection.open = true;
      }
      conversing = true;
      transport.sendMessage(message, message.getAllRecipients());
      return new Try(new SendResult(SendResult.Kind.ACCEPTED, transport.getLastServerResponse()), false);
    } catch (MessagingException e) {
      SendResult result = classify(e, conversing);
      boolean beforeTheEnd = conversing && !transport.endOfMessageSent();
      if (result.kind() == SendResult.Kind.TEMPORARY) {
        // the conversation may be in any state: start the next message on a fresh connection
        connection.close();
        if (beforeTheEnd) {
          // the end never went out: whatever the exception says, the server cannot have the message
          result = new SendResult(result.kind(), result.reply(), false);
        }
      }
      return new Try(result, beforeTheEnd && !serverReplied(e));
    } catch (IllegalStateException e) {
      connection.close();
      boolean beforeTheEnd = conversing && !transport.endOfMessageSent();
      return new Try(new SendResult(SendResult.Kind.TEMPORARY, "connection lost: " + e.getMessage(),
          conversing && !beforeTheEnd), beforeTheEnd);
    } finally {
      connection.lastUsedNanos = System.nanoTime();
    }
  }

  /** Whether the server answered with a reply code (a 4xx or 5xx), rather than the connection breaking. */
  private static boolean serverReplied(MessagingException e) {
    for (Exception current = e; current != null; current = next(current)) {
      int code = current instanceof SMTPAddressFailedException f ? f.getReturnCode()
          : current instanceof SMTPSenderFailedException f ? f.getReturnCode()
          : current instanceof SMTPSendFailedException f ? f.getReturnCode() : -1;
      if (code >= 400 && code < 600) {
        return true;
      }
    }
    return false;
  }

  /**
   * The SMTP reply code in the exception chain decides; no reply at all means a connection problem.
   * Only a 5xx to the recipient (RCPT) says the address does not take mail: a 5xx to the sender or to
   * the message (a sending quota, a misconfigured sender, content refused) says nothing about the
   * person, so it must not bounce and suppress them; it is retried and ends as failed. A connection
   * that broke during the conversation without a reply leaves it open whether the server took the
   * message, and the result says so.
   */
  static SendResult classify(MessagingException e, boolean conversing) {
    int messageLevel = -1;
    String messageLevelReply = null;
    for (Exception current = e; current != null; current = next(current)) {
      if (current instanceof SMTPAddressFailedException f) {
        int code = f.getReturnCode();
        if (code >= 500 && code < 600) {
          return new SendResult(SendResult.Kind.PERMANENT, f.getMessage());
        }
        if (code >= 400 && code < 500) {
          return new SendResult(SendResult.Kind.TEMPORARY, f.getMessage());
        }
      } else if (messageLevel < 0 && current instanceof SMTPSenderFailedException f) {
        messageLevel = f.getReturnCode();
        messageLevelReply = f.getMessage();
      } else if (messageLevel < 0 && current instanceof SMTPSendFailedException f) {
        messageLevel = f.getReturnCode();
        messageLevelReply = f.getMessage();
      }
    }
    if (messageLevel >= 400 && messageLevel < 600) {
      return new SendResult(SendResult.Kind.TEMPORARY, messageLevelReply);
    }
    String reason = e instanceof SendFailedException ? e.getMessage() : describe(e);
    return new SendResult(SendResult.Kind.TEMPORARY, reason, conversing && !brokeBeforeTheMessageEnded(e));
  }

  /**
   * Whether the connection is known to have broken before the message's final "." went out: at the
   * sender, a recipient or the DATA command. A server takes a message only with that end, so then it
   * cannot have arrived, and a retry is no duplicate. Where the exception does not say (a reset while
   * reading some reply), the message counts as possibly arrived.
   */
  private static boolean brokeBeforeTheMessageEnded(MessagingException e) {
    for (Exception current = e; current != null; current = next(current)) {
      if (current instanceof SMTPAddressFailedException || current instanceof SMTPSenderFailedException) {
        return true;
      }
      if (current instanceof SMTPSendFailedException f && f.getCommand() != null && !f.getCommand().equals(".")) {
        return true;
      }
    }
    return false;
  }

  private static Exception next(Exception current) {
    Exception next = current instanceof MessagingException m ? m.getNextException() : null;
    if (next == null && current.getCause() instanceof Exception cause && cause != current) {
      next = cause;
    }
    return next;
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
  }

  @Override
  public void close() {
    closed = true;
    for (Connection connection : idle) {
      connection.close();
    }
  }

  /** One pooled SMTP connection; used by one thread at a time. */
  private static final class Connection {
    private final TrackingSmtpTransport transport;
    private boolean open;
    private long lastUsedNanos = System.nanoTime();

    Connection(TrackingSmtpTransport transport) {
      this.transport = transport;
    }

    void close() {
      open = false;
      try {
        transport.close();
      } catch (MessagingException e) {
        // closing a broken connection can fail too; the next use opens a new one
        log.debug("Closing an SMTP connection failed: {}", e.getMessage());
      }
    }
  }
}
