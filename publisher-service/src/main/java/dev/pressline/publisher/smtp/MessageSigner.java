package dev.pressline.publisher.smtp;

import jakarta.mail.internet.MimeMessage;

/** Signs a message before it is sent (DKIM), or leaves it as it is. */
public interface MessageSigner {

  MimeMessage sign(MimeMessage message);

  /** For when no DKIM key is configured. */
  static MessageSigner none() {
    return message -> message;
  }
}
