package dev.pressline.publisher.smtp;

import jakarta.mail.internet.MimeMessage;

/** Hands a message to the mail system; one attempt, never throws for SMTP trouble. */
public interface MailSender extends AutoCloseable {

  /**
   * One attempt. The connection is free for the next message as soon as the server has answered;
   * a caller that records outcomes bounds what is unrecorded itself (see {@code delivery.InDoubtWindow}).
   */
  SendResult send(MimeMessage message);

  @Override
  void close();
}
