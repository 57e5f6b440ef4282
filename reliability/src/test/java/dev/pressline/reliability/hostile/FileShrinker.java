package dev.pressline.reliability.hostile;

import java.util.function.Predicate;

/**
 * Makes a failing file small before it is reported, by delta debugging on its bytes (the "reduce to
 * complement" step of Zeller's ddmin): parts of the file are cut away for as long as it still fails
 * the same way, first halves, then ever smaller pieces down to single bytes. A report then names the
 * few bytes that matter instead of a file of megabytes. Bounded in tries, so a shrink stays quick.
 */
final class FileShrinker {

  private FileShrinker() {}

  /**
   * @param failing a file for which {@code stillFails} holds
   * @param stillFails whether a smaller file fails the same way
   * @param maxTries the most calls of {@code stillFails}
   * @return the smallest failing file found, {@code failing} itself if nothing could be cut
   */
  static byte[] shrink(byte[] failing, Predicate<byte[]> stillFails, int maxTries) {
    byte[] current = failing;
    int pieces = 2;
    int tries = 0;
    while (current.length > 1 && tries < maxTries) {
      int piece = (current.length + pieces - 1) / pieces;
      boolean cut = false;
      for (int start = 0; start < current.length && tries < maxTries; start += piece) {
        byte[] without = without(current, start, Math.min(piece, current.length - start));
        tries++;
        if (stillFails.test(without)) {
          current = without;
          // what is left may shrink by the same piece size again
          pieces = Math.max(pieces - 1, 2);
          cut = true;
          break;
        }
      }
      if (!cut) {
        if (piece == 1) {
          break; // no single byte can go: as small as this method gets it
        }
        pieces = Math.min(pieces * 2, current.length);
      }
    }
    return current;
  }

  private static byte[] without(byte[] bytes, int start, int length) {
    byte[] out = new byte[bytes.length - length];
    System.arraycopy(bytes, 0, out, 0, start);
    System.arraycopy(bytes, start + length, out, start, bytes.length - start - length);
    return out;
  }

  /** The bytes as a short, printable Java-like string literal for a failure report. */
  static String describe(byte[] bytes) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < bytes.length && out.length() < 400; i++) {
      int b = bytes[i] & 0xff;
      if (b == '"' || b == '\\') {
        out.append('\\').append((char) b);
      } else if (b >= 0x20 && b < 0x7f) {
        out.append((char) b);
      } else {
        out.append(String.format("\\x%02x", b));
      }
    }
    return out.append(out.length() >= 400 ? "…\"" : "\"").toString();
  }
}
