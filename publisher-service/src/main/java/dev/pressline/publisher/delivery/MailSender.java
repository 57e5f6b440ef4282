package dev.pressline.publisher.delivery;

import jakarta.mail.internet.MimeMessage;

/** Hands a message to the mail system; one attempt, never throws for SMTP trouble. */
public interface MailSender extends AutoCloseable {

  SendResult send(MimeMessage message);

  @Override
  void close();
}
