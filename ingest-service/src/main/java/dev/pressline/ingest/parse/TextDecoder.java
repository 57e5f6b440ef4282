package dev.pressline.ingest.parse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes an editor's tool saved into text with {@code \n} line ends.
 *
 * <p>What is recognised, in this order: a byte-order mark (UTF-8, UTF-16 LE/BE); valid UTF-8; UTF-16
 * without a mark (every other byte zero in ASCII text); Windows-1252, taken only when the bytes are not
 * UTF-8 and use nothing but characters Windows-1252 defines. Anything else is refused with a reason
 * rather than guessed. NUL and other control bytes mean the file is not text.
 */
public final class TextDecoder {

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  /**
   * Decoded text.
   *
   * @param text the text with {@code \n} line ends and no byte-order mark
   * @param encoding the name of the encoding that was recognised, for receipts and logs
   */
  public record Decoded(String text, String encoding) {}

  public Decoded decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new RejectedPostException("The file is empty.");
    }
    Decoded decoded = detect(bytes);
    String text = normaliseLineEnds(decoded.text());
    checkIsText(text);
    return new Decoded(text, decoded.encoding());
  }

  private static Decoded detect(byte[] bytes) {
    if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
      return new Decoded(strict(bytes, 3, StandardCharsets.UTF_8, "UTF-8 (with byte-order mark)"), "UTF-8 with BOM");
    }
    if (startsWith(bytes, 0xFF, 0xFE)) {
      return new Decoded(strict(bytes, 2, StandardCharsets.UTF_16LE, "UTF-16"), "UTF-16LE with BOM");
    }
    if (startsWith(bytes, 0xFE, 0xFF)) {
      return new Decoded(strict(bytes, 2, StandardCharsets.UTF_16BE, "UTF-16"), "UTF-16BE with BOM");
    }
    String utf8 = tryDecode(bytes, StandardCharsets.UTF_8);
    if (utf8 != null) {
      return new Decoded(utf8, "UTF-8");
    }
    Charset utf16 = utf16WithoutMark(bytes);
    if (utf16 != null) {
      return new Decoded(strict(bytes, 0, utf16, "UTF-16"), utf16.name() + " without BOM");
    }
    if (looksLikeBinary(bytes)) {
      throw new RejectedPostException(
          "This is not a text file (it contains binary data). Save the post as plain text (.txt) or Markdown (.md).");
    }
    String cp1252 = tryDecode(bytes, WINDOWS_1252);
    if (cp1252 != null && !hasUndefinedWindows1252(bytes)) {
      return new Decoded(cp1252, "windows-1252");
    }
    throw new RejectedPostException(
        "The text could not be read: it is neither UTF-8 nor Windows-1252 (the byte at position "
            + firstInvalidUtf8(bytes)
            + " is not valid). Save the file as UTF-8 and drop it again.");
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String strict(byte[] bytes, int offset, Charset charset, String what) {
    String text = tryDecode(ByteBuffer.wrap(bytes, offset, bytes.length - offset), charset);
    if (text == null) {
      throw new RejectedPostException(
          "The file says it is " + what + " but contains bytes that are not valid " + what + ".");
    }
    return text;
  }

  private static String tryDecode(byte[] bytes, Charset charset) {
    return tryDecode(ByteBuffer.wrap(bytes), charset);
  }

  private static String tryDecode(ByteBuffer buffer, Charset charset) {
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(buffer);
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** UTF-16 text without a mark has a zero byte beside almost every Latin character. */
  private static Charset utf16WithoutMark(byte[] bytes) {
    if (bytes.length < 4 || bytes.length % 2 != 0) {
      return null;
    }
    int pairs = bytes.length / 2;
    int zeroHigh = 0;
    int zeroLow = 0;
    for (int i = 0; i + 1 < bytes.length; i += 2) {
      if (bytes[i] == 0 && bytes[i + 1] != 0) {
        zeroHigh++;
      } else if (bytes[i] != 0 && bytes[i + 1] == 0) {
        zeroLow++;
      }
    }
    if (zeroLow > pairs * 0.7) {
      return StandardCharsets.UTF_16LE;
    }
    if (zeroHigh > pairs * 0.7) {
      return StandardCharsets.UTF_16BE;
    }
    return null;
  }

  private static boolean looksLikeBinary(byte[] bytes) {
    int limit = Math.min(bytes.length, 8192);
    for (int i = 0; i < limit; i++) {
      if (bytes[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /** Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D have no character in Windows-1252. */
  private static boolean hasUndefinedWindows1252(byte[] bytes) {
    for (byte b : bytes) {
      int v = b & 0xFF;
      if (v == 0x81 || v == 0x8D || v == 0x8F || v == 0x90 || v == 0x9D) {
        return true;
      }
    }
    return false;
  }

  private static int firstInvalidUtf8(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    decoder.decode(in, out, true);
    return in.position() + 1;
  }

  static String normaliseLineEnds(String text) {
    return text.replace("\r\n", "\n").replace('\r', '\n');
  }

  private static void checkIsText(String text) {
    int line = 1;
    int controls = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
      } else if (c == 0) {
        throw new RejectedPostException(
            "This is not a text file: it contains NUL bytes, as programs and images do. "
                + "Save the post as plain text (.txt) or Markdown (.md).",
            line);
      } else if (c < 0x20 && c != '\t' && c != '\f') {
        controls++;
        if (controls > 8) {
          throw new RejectedPostException(
              "This does not look like text: it is full of control characters. "
                  + "Save the post as plain text (.txt) or Markdown (.md).",
              line);
        }
      }
    }
  }
}
