package dev.pressline.publisher.render;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Quoted-printable (RFC 2045) by Jakarta Mail's own encoder, into bytes that can be joined. */
final class QuotedPrintable {

  /** Ends an encoded line without ending the text: what it joins reads on as if there were no break. */
  static final byte[] SOFT_BREAK = "=\r\n".getBytes(StandardCharsets.US_ASCII);

  private QuotedPrintable() {}

  /** The UTF-8 bytes of {@code text}, quoted-printable, lines broken at 76 characters. */
  static byte[] encode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() + text.length() / 8 + 16);
    try (OutputStream qp = MimeUtility.encode(bytes, "quoted-printable")) {
      qp.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (MessagingException e) {
      throw new IllegalStateException("quoted-printable is built into Jakarta Mail", e);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }
}
