package dev.pressline.publisher.smtp;

import jakarta.mail.internet.MimeMessage;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Hands a message to the mail system; one attempt, never throws for SMTP trouble. */
public interface MailSender extends AutoCloseable {

  /**
   * @param recordAccepted called when the server has accepted the message, while its connection is
   *     still held: records the outcome and returns what completes once the record is durable. The
   *     connection carries no other message before that, so after a crash at most one message per
   *     connection can have gone out without its outcome on record.
   */
  SendResult send(MimeMessage message, Function<String, CompletableFuture<?>> recordAccepted);

  /** One attempt at a message whose outcome is not recorded, such as a confirmation mail. */
  default SendResult send(MimeMessage message) {
    return send(message, reply -> CompletableFuture.completedFuture(null));
  }

  @Override
  void close();
}
