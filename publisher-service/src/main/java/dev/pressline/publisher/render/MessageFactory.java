package dev.pressline.publisher.render;

import static java.util.Objects.requireNonNull;

import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.PreencodedMimeBodyPart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Turns rendered content into a MIME message: multipart/alternative (plain text first, HTML last, as
 * RFC 2046 prefers), UTF-8, with the headers mailbox providers require of bulk mail.
 */
public final class MessageFactory {

  private static final Pattern NOT_READABLE = Pattern.compile("[^A-Za-z0-9-]");

  private final Session session;
  private final MailIdentity identity;
  private final Clock clock;
  // the header values that are the same in every message, made once rather than per recipient
  private final String fromHeader;
  private final String replyToHeader;
  private final String listIdHeader;
  private final String unsubscribeMailto;
  private final MailDateFormat dateFormat = new MailDateFormat();
  /** The Date header of the current second: it names seconds, and thousands of messages share one. */
  private final AtomicReference<DateHeader> lastDate = new AtomicReference<>(new DateHeader(Long.MIN_VALUE, ""));

  public MessageFactory(Session session, MailIdentity identity, Clock clock) {
    this.session = requireNonNull(session, "session");
    this.identity = requireNonNull(identity, "identity");
    this.clock = requireNonNull(clock, "clock");
    // as setFrom and setReplyTo write them: folded after the header's name and ": "
    this.fromHeader = InternetAddress.toString(new Address[] {identity.from()}, "From: ".length());
    this.replyToHeader = identity.replyTo() == null ? null
        : InternetAddress.toString(new Address[] {identity.replyTo()}, "Reply-To: ".length());
    this.listIdHeader = identity.listId().header();
    this.unsubscribeMailto = "<mailto:" + identity.unsubscribeMailbox() + "?subject=unsubscribe>";
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
    return build(email, recipient, messageKey, unsubscribeUrl, false);
  }

  /**
   * A newsletter: as {@link #create}, and marked as list mail with the sender's {@code List-Id}
   * (RFC 2919), which mail clients sort by and mailbox providers expect of bulk mail.
   */
  public MimeMessage createNewsletter(EncodedEmail email, String recipient, String messageKey, URI unsubscribeUrl) {
    return build(email, recipient, messageKey, unsubscribeUrl, true);
  }

  private MimeMessage build(EncodedEmail email, String recipient, String messageKey, URI unsubscribeUrl,
      boolean newsletter) {
    try {
      MimeMessage message = new StableIdMessage(session, messageId(messageKey, recipient));
      message.setHeader("From", fromHeader);
      if (replyToHeader != null) {
        message.setHeader("Reply-To", replyToHeader);
      }
      message.setRecipient(Message.RecipientType.TO, new InternetAddress(recipient, true));
      message.setHeader("Subject", email.subjectHeader());
      message.setHeader("Date", dateHeader());
      // RFC 2369 + RFC 8058: mailbox providers show an unsubscribe button and may POST to the URL
      message.setHeader("List-Unsubscribe", "<" + unsubscribeUrl + ">, " + unsubscribeMailto);
      message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
      if (newsletter) {
        message.setHeader("List-Id", listIdHeader);
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

  /**
   * The Subject header for a subject HeaderText made one line of. Non-ASCII becomes RFC 2047 words,
   * as {@code setSubject} would do; a subject with {@code =?} in it is encoded even when it is plain
   * ASCII: left as it is, a mail client would decode a title's {@code =?UTF-8?B?…?=} into other text
   * (a line break and a "Bcc:" included), while inside our encoded words it stays the text it is.
   */
  static String encodedSubject(String subject) {
    if (subject.contains("=?")) {
      // MimeUtility leaves plain ASCII as it is, whatever it is asked: encoded here
      return encodedWords(subject);
    }
    try {
      // "Subject: " is 9 characters
      return MimeUtility.fold(9, MimeUtility.encodeText(subject, StandardCharsets.UTF_8.name(), null));
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is part of every Java runtime", e);
    }
  }

  /** {@code text} as RFC 2047 B-words of at most 36 UTF-8 bytes each, one per folded line. */
  private static String encodedWords(String text) {
    StringBuilder header = new StringBuilder();
    int start = 0;
    while (start < text.length()) {
      int end = start;
      int bytes = 0;
      while (end < text.length()) {
        int codePoint = text.codePointAt(end);
        int length = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
        // a character is never split over two words (RFC 2047 section 5)
        if (bytes + length > 36) {
          break;
        }
        bytes += length;
        end += Character.charCount(codePoint);
      }
      if (header.length() > 0) {
        // whitespace between two encoded words is not part of the text
        header.append("\r\n ");
      }
      header.append("=?UTF-8?B?")
          .append(Base64.getEncoder().encodeToString(text.substring(start, end).getBytes(StandardCharsets.UTF_8)))
          .append("?=");
      start = end;
    }
    return header.toString();
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
      String readable = NOT_READABLE.matcher(messageKey).replaceAll("");
      if (readable.length() > 40) {
        readable = readable.substring(0, 40);
      }
      return "<" + HexFormat.of().formatHex(digest, 0, 16) + "." + readable + "@" + identity.domain() + ">";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The Date header for now, as {@code setSentDate} writes it. */
  private String dateHeader() {
    long second = clock.instant().getEpochSecond();
    DateHeader last = lastDate.get();
    if (last.second() == second) {
      return last.text();
    }
    String text;
    // a MailDateFormat is not safe for concurrent use
    synchronized (dateFormat) {
      text = dateFormat.format(new Date(second * 1000));
    }
    lastDate.set(new DateHeader(second, text));
    return text;
  }

  private record DateHeader(long second, String text) {}

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
