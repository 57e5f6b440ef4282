package dev.pressline.publisher.render;

import static java.util.Objects.requireNonNull;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Turns rendered content into a MIME message: multipart/alternative (plain text first, HTML last, as
 * RFC 2046 prefers), UTF-8, with the headers mailbox providers require of bulk mail.
 */
public final class MessageFactory {

  private static final Pattern NOT_READABLE = Pattern.compile("[^A-Za-z0-9-]");
  private static final byte[] TEXT_PART_HEADERS = partHeaders("text/plain; charset=UTF-8");
  private static final byte[] HTML_PART_HEADERS = partHeaders("text/html; charset=UTF-8");

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
  /** Boundaries unique to this factory's messages: a random part per factory and a counter. */
  private final String boundaryPrefix = "=_pressline_" + HexFormat.of().formatHex(randomBytes(8)) + "_";
  private final AtomicLong boundaries = new AtomicLong();

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
      String boundary = boundaryPrefix + boundaries.incrementAndGet();
      AssembledMessage message = new AssembledMessage(session, multipart(boundary, email));
      message.setHeader("From", fromHeader);
      if (replyToHeader != null) {
        message.setHeader("Reply-To", replyToHeader);
      }
      message.setRecipient(Message.RecipientType.TO, new InternetAddress(recipient, true));
      message.setHeader("Subject", email.subjectHeader());
      message.setHeader("Date", dateHeader());
      message.setHeader("Message-ID", messageId(messageKey, recipient));
      // RFC 2369 + RFC 8058: mailbox providers show an unsubscribe button and may POST to the URL
      message.setHeader("List-Unsubscribe", "<" + unsubscribeUrl + ">, " + unsubscribeMailto);
      message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
      if (newsletter) {
        message.setHeader("List-Id", listIdHeader);
      }
      message.setHeader("Auto-Submitted", "auto-generated");
      message.setHeader("MIME-Version", "1.0");
      message.setHeader("Content-Type", "multipart/alternative; \r\n\tboundary=\"" + boundary + "\"");
      return message;
    } catch (MessagingException e) {
      throw new RenderException("cannot build the message for " + messageKey + ": " + e.getMessage(), e);
    }
  }

  /**
   * The body as it travels: multipart/alternative with the plain text first and the HTML last, both
   * quoted-printable already. Written out here rather than through MimeMultipart and a DataHandler per
   * part, which cost more than the SMTP conversation for every recipient. The boundary holds
   * {@code =_}, which quoted-printable text can never contain (RFC 2045 section 6.7).
   */
  private static byte[] multipart(String boundary, EncodedEmail email) {
    byte[] open = ("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] between = ("\r\n--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] close = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] text = email.text();
    byte[] html = email.html();
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + html.length + 400);
    out.writeBytes(open);
    out.writeBytes(TEXT_PART_HEADERS);
    out.writeBytes(text);
    out.writeBytes(between);
    out.writeBytes(HTML_PART_HEADERS);
    out.writeBytes(html);
    out.writeBytes(close);
    return out.toByteArray();
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

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes);
    return bytes;
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

  private static byte[] partHeaders(String contentType) {
    return ("Content-Type: " + contentType + "\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A message whose body is already the bytes that go on the wire: Jakarta Mail writes its header
   * lines and then the body as it is, as for a message it has read from a server. The headers that
   * {@code saveChanges()} would make (Message-ID, MIME-Version, Content-Type) are set by the factory,
   * and the Message-ID stays the one derived from the mailing and the recipient.
   */
  private static final class AssembledMessage extends MimeMessage {

    AssembledMessage(Session session, byte[] body) {
      super(session);
      this.content = body;
      this.modified = false;
      this.saved = true;
    }

    @Override
    protected void updateMessageID() {
      // the factory's Message-ID is kept when a copy of this message is saved again
    }
  }
}
