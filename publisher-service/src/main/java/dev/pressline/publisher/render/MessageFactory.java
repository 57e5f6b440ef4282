package dev.pressline.publisher.render;

import static java.util.Objects.requireNonNull;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.PreencodedMimeBodyPart;
import jakarta.mail.util.ByteArrayDataSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Date;
import java.util.HexFormat;

/**
 * Turns rendered content into a MIME message: multipart/alternative (plain text first, HTML last, as
 * RFC 2046 prefers), UTF-8, with the headers mailbox providers require of bulk mail.
 */
public final class MessageFactory {

  private final Session session;
  private final MailIdentity identity;
  private final Clock clock;

  public MessageFactory(Session session, MailIdentity identity, Clock clock) {
    this.session = requireNonNull(session, "session");
    this.identity = requireNonNull(identity, "identity");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * One message to {@code recipient}.
   *
   * @param messageKey what makes this message unique (post slug, or a confirmation's time); the
   *     Message-ID is derived from it and the recipient, so a re-send carries the same ID
   * @param unsubscribeUrl the recipient's one-click unsubscribe URL
   */
  public MimeMessage create(RenderedEmail email, String recipient, String messageKey, URI unsubscribeUrl) {
    return create(EncodedEmail.of(email), recipient, messageKey, unsubscribeUrl);
  }

  /** As above, for content already encoded. */
  public MimeMessage create(EncodedEmail email, String recipient, String messageKey, URI unsubscribeUrl) {
    return build(email, recipient, messageKey, unsubscribeUrl, null);
  }

  /**
   * A newsletter: as {@link #create}, and marked as list mail with the sender's {@code List-Id}
   * (RFC 2919), which mail clients sort by and mailbox providers expect of bulk mail.
   */
  public MimeMessage createNewsletter(EncodedEmail email, String recipient, String messageKey, URI unsubscribeUrl) {
    return build(email, recipient, messageKey, unsubscribeUrl, identity.listId());
  }

  private MimeMessage build(EncodedEmail email, String recipient, String messageKey, URI unsubscribeUrl,
      ListId listId) {
    try {
      MimeMessage message = new StableIdMessage(session, messageId(messageKey, recipient));
      message.setFrom(identity.from());
      if (identity.replyTo() != null) {
        message.setReplyTo(new InternetAddress[] {identity.replyTo()});
      }
      message.setRecipient(Message.RecipientType.TO, new InternetAddress(recipient, true));
      // HeaderText has removed line breaks; setSubject encodes non-ASCII as RFC 2047 words
      message.setSubject(email.subject(), StandardCharsets.UTF_8.name());
      message.setSentDate(Date.from(clock.instant()));
      // RFC 2369 + RFC 8058: mailbox providers show an unsubscribe button and may POST to the URL
      message.setHeader("List-Unsubscribe",
          "<" + unsubscribeUrl + ">, <mailto:" + identity.unsubscribeMailbox() + "?subject=unsubscribe>");
      message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
      if (listId != null) {
        message.setHeader("List-Id", listId.header());
      }
      message.setHeader("Auto-Submitted", "auto-generated");

      MimeMultipart alternative = new MimeMultipart("alternative");
      alternative.addBodyPart(encodedPart(email.text(), "text/plain; charset=UTF-8"));
      alternative.addBodyPart(encodedPart(email.html(), "text/html; charset=UTF-8"));
      message.setContent(alternative);
      message.saveChanges();
      return message;
    } catch (MessagingException e) {
      throw new RenderException("cannot build the message for " + messageKey + ": " + e.getMessage(), e);
    }
  }

  /** A body part whose bytes are written as they are: they are quoted-printable already. */
  private static MimeBodyPart encodedPart(byte[] quotedPrintable, String contentType) throws MessagingException {
    MimeBodyPart part = new PreencodedMimeBodyPart("quoted-printable");
    part.setDataHandler(new DataHandler(new ByteArrayDataSource(quotedPrintable, contentType)));
    part.setHeader("Content-Type", contentType);
    // named up front, or Jakarta Mail scans the whole body on saveChanges() to choose an encoding
    part.setHeader("Content-Transfer-Encoding", "quoted-printable");
    return part;
  }

  /** {@code <hash.key@domain>}: stable for one post and recipient, unique across them. */
  String messageId(String messageKey, String recipient) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((messageKey + "\n" + recipient).getBytes(StandardCharsets.UTF_8));
      String readable = messageKey.replaceAll("[^A-Za-z0-9-]", "");
      if (readable.length() > 40) {
        readable = readable.substring(0, 40);
      }
      return "<" + HexFormat.of().formatHex(digest, 0, 16) + "." + readable + "@" + identity.domain() + ">";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** A message that keeps the Message-ID it was given instead of inventing one on saveChanges(). */
  private static final class StableIdMessage extends MimeMessage {
    private final String id;

    StableIdMessage(Session session, String id) {
      super(session);
      this.id = id;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", id);
    }
  }
}
