package dev.pressline.publisher.render;

import static java.util.Objects.requireNonNull;

/**
 * The content of one email with both bodies already in quoted-printable, the form they travel in:
 * the message is written to the socket as these bytes, without encoding anything per recipient.
 */
public final class EncodedEmail {

  private final String subject;
  private final String subjectHeader;
  private final byte[] html;
  private final byte[] text;

  EncodedEmail(String subject, byte[] html, byte[] text) {
    this(subject, MessageFactory.encodedSubject(subject), html, text);
  }

  /** With the Subject header's value already made, as a post's recipients share it. */
  EncodedEmail(String subject, String subjectHeader, byte[] html, byte[] text) {
    this.subject = requireNonNull(subject, "subject");
    this.subjectHeader = requireNonNull(subjectHeader, "subjectHeader");
    this.html = requireNonNull(html, "html");
    this.text = requireNonNull(text, "text");
  }

  /** Encodes rendered content that is sent once, such as a confirmation mail. */
  public static EncodedEmail of(RenderedEmail email) {
    return new EncodedEmail(email.subject(), QuotedPrintable.encode(email.html()),
        QuotedPrintable.encode(email.text()));
  }

  public String subject() {
    return subject;
  }

  /** The Subject header's value: RFC 2047 words where needed, folded. */
  String subjectHeader() {
    return subjectHeader;
  }

  /** The HTML body, quoted-printable (shared: do not modify). */
  byte[] html() {
    return html;
  }

  /** The plain-text body, quoted-printable (shared: do not modify). */
  byte[] text() {
    return text;
  }
}
