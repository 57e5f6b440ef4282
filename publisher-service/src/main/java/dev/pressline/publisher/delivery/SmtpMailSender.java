package dev.pressline.publisher.delivery;

import static java.util.Objects.requireNonNull;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends over a pool of reused SMTP connections, as many as the configured concurrency. A connection
 * that fails is closed and opened again on its next use. Sorts every failure into temporary
 * (4xx, connection) or permanent (5xx).
 */
public final class SmtpMailSender implements MailSender {

  private static final Logger log = LoggerFactory.getLogger(SmtpMailSender.class);

  private final Session session;
  private final BlockingQueue<Connection> idle;
  private final RateLimiter rateLimiter;
  private volatile boolean closed;

  public SmtpMailSender(Session session, int connections, RateLimiter rateLimiter) {
    this.session = requireNonNull(session, "session");
    this.rateLimiter = requireNonNull(rateLimiter, "rateLimiter");
    this.idle = new ArrayBlockingQueue<>(connections);
    try {
      for (int i = 0; i < connections; i++) {
        idle.add(new Connection(session.getTransport()));
      }
    } catch (MessagingException e) {
      throw new IllegalStateException("no SMTP transport available: " + e.getMessage(), e);
    }
  }

  @Override
  public SendResult send(MimeMessage message, Function<String, CompletableFuture<?>> recordAccepted) {
    Connection connection;
    try {
      connection = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendResult(SendResult.Kind.TEMPORARY, "interrupted while waiting for an SMTP connection");
    }
    try {
      // the previous message on this connection must have its outcome on record first: otherwise a
      // crash could leave two messages of one connection delivered and unrecorded
      connection.awaitRecorded();
      SendResult result = attempt(connection, message);
      if (result.kind() == SendResult.Kind.ACCEPTED) {
        connection.recorded = recordAccepted.apply(result.reply());
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendResult(SendResult.Kind.TEMPORARY, "interrupted before the message was handed over");
    } finally {
      if (closed) {
        connection.close();
      }
      idle.add(connection);
    }
  }

  private SendResult attempt(Connection connection, MimeMessage message) {
    Transport transport = connection.transport;
    boolean conversing = false;
    try {
      rateLimiter.acquire();
      // our own flag, not isConnected(): that would cost a NOOP round trip per message
      if (!connection.open) {
        transport.connect();
        connection.open = true;
      }
      conversing = true;
      transport.sendMessage(message, message.getAllRecipients());
      String reply = transport instanceof SMTPTransport smtp ? smtp.getLastServerResponse() : "250";
      return new SendResult(SendResult.Kind.ACCEPTED, reply);
    } catch (MessagingException e) {
      SendResult result = classify(e, conversing);
      if (result.kind() == SendResult.Kind.TEMPORARY) {
        // the conversation may be in any state: start the next message on a fresh connection
        connection.close();
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendResult(SendResult.Kind.TEMPORARY, "interrupted");
    } catch (IllegalStateException e) {
      connection.close();
      return new SendResult(SendResult.Kind.TEMPORARY, "connection lost: " + e.getMessage(), conversing);
    }
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
    private final Transport transport;
    private boolean open;
    /** Completes once the outcome of the last message this connection carried is durable. */
    private CompletableFuture<?> recorded = CompletableFuture.completedFuture(null);

    Connection(Transport transport) {
      this.transport = transport;
    }

    /**
     * Waits until the last message's outcome is recorded. A record that failed is reported where the
     * mailer commits its progress; here only the order matters.
     */
    void awaitRecorded() throws InterruptedException {
      try {
        recorded.get();
      } catch (ExecutionException e) {
        log.debug("Recording an SMTP outcome failed: {}", e.getMessage());
      }
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
