package dev.pressline.feed.build;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip body made of parts compressed one by one. Each part is deflated on its own and ended with
 * a sync flush, so it starts and ends on a byte boundary and refers back only into the part before
 * it (given as a preset dictionary); parts compressed at different times then join into one valid
 * deflate stream as long as each is placed after the part it was compressed against. A feed page
 * keeps the compressed form of each item with the item, and a new post costs compressing an item
 * or two instead of the whole page (gzip of a 900 KB page was most of a rebuild, in native code the Java samples
 * of a profile do not show).
 */
final class GzipParts {

  // RFC 1952: magic, deflate, no flags, no time, no extra flags, unknown OS
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  // a final stored block of length 0 ends the deflate stream
  private static final byte[] LAST_BLOCK = {0x03, 0x00};
  private static final int WINDOW = 32 * 1024;

  private GzipParts() {}

  /**
   * {@code part} deflated, sync-flushed, not final, referring back at most into {@code preceding}:
   * the bytes that come right before it in the body (null when none), so the part compresses about
   * as well as it would inside the whole body. Deflate's window is 32 KB: only that much counts.
   */
  static byte[] deflate(byte[] part, byte[] preceding) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      if (preceding != null && preceding.length > 0) {
        int window = Math.min(preceding.length, WINDOW);
        deflater.setDictionary(preceding, preceding.length - window, window);
      }
      deflater.setInput(part);
      ByteArrayOutputStream out = new ByteArrayOutputStream(part.length / 3 + 64);
      byte[] buffer = new byte[Math.max(512, Math.min(part.length, 64 * 1024))];
      while (true) {
        int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        out.write(buffer, 0, n);
        // a sync flush that filled the buffer may have more to write
        if (n < buffer.length && deflater.needsInput()) {
          return out.toByteArray();
        }
      }
    } finally {
      deflater.end();
    }
  }

  /** The gzip member of {@code plain}, whose parts, in order, {@code deflated} holds. */
  static byte[] member(List<byte[]> deflated, byte[] plain) {
    int length = HEADER.length + LAST_BLOCK.length + 8;
    for (byte[] part : deflated) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = put(out, 0, HEADER);
    for (byte[] part : deflated) {
      at = put(out, at, part);
    }
    at = put(out, at, LAST_BLOCK);
    CRC32 crc = new CRC32();
    crc.update(plain);
    at = putIntLittleEndian(out, at, (int) crc.getValue());
    putIntLittleEndian(out, at, plain.length); // ISIZE: the length modulo 2^32
    return out;
  }

  private static int put(byte[] out, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static int putIntLittleEndian(byte[] out, int at, int value) {
    out[at] = (byte) value;
    out[at + 1] = (byte) (value >>> 8);
    out[at + 2] = (byte) (value >>> 16);
    out[at + 3] = (byte) (value >>> 24);
    return at + 4;
  }
}
