package dev.pressline.publisher.render;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A post's email encoded once, with a slot wherever the recipient's own link goes. Filling the slots
 * joins encoded pieces with soft line breaks, so each recipient costs a copy of the bytes and the
 * encoding of one short link instead of the quoted-printable encoding of the whole email, which
 * profiling showed as the publisher's largest cost per message.
 */
public final class PersonalisableEmail {

  private final String subject;
  private final String subjectHeader;
  private final String placeholder;
  private final List<byte[]> htmlPieces;
  private final List<byte[]> textPieces;
  private final int size;

  /**
   * Splits {@code email} at every occurrence of {@code placeholder} and encodes the pieces. The
   * placeholder must be one that only the template can have put there: see
   * {@link EmailRenderer#renderPostForEveryone}.
   */
  public PersonalisableEmail(RenderedEmail email, String placeholder) {
    requireNonNull(email, "email");
    this.placeholder = requireNonNull(placeholder, "placeholder");
    this.subject = email.subject();
    // the same for every recipient: encoded once per post revision
    this.subjectHeader = MessageFactory.encodedSubject(subject);
    this.htmlPieces = encodedPieces(email.html(), placeholder);
    this.textPieces = encodedPieces(email.text(), placeholder);
    this.size = htmlPieces.stream().mapToInt(p -> p.length).sum() + textPieces.stream().mapToInt(p -> p.length).sum();
  }

  /** The email with {@code link} in every slot. */
  public EncodedEmail fill(String link) {
    if (link.contains(placeholder)) {
      throw new IllegalArgumentException("the link must not contain the placeholder");
    }
    byte[] encodedLink = QuotedPrintable.encode(link);
    return new EncodedEmail(subject, subjectHeader, join(htmlPieces, encodedLink), join(textPieces, encodedLink));
  }

  private byte[] join(List<byte[]> pieces, byte[] link) {
    if (pieces.size() == 1) {
      return pieces.get(0);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + pieces.size() * (link.length + 6));
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0) {
        // each piece was encoded on its own from column 0: a soft break before and after the link
        // keeps every line within 76 characters and the decoded text unbroken
        out.writeBytes(QuotedPrintable.SOFT_BREAK);
        out.writeBytes(link);
        out.writeBytes(QuotedPrintable.SOFT_BREAK);
      }
      out.writeBytes(pieces.get(i));
    }
    return out.toByteArray();
  }

  private static List<byte[]> encodedPieces(String body, String placeholder) {
    List<byte[]> pieces = new ArrayList<>();
    for (String piece : body.split(Pattern.quote(placeholder), -1)) {
      pieces.add(QuotedPrintable.encode(piece));
    }
    return List.copyOf(pieces);
  }
}
