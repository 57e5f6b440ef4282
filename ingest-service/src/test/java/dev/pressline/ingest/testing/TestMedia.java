package dev.pressline.ingest.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/** Small, real media files built byte by byte, so tests need no tools and no fixtures. */
public final class TestMedia {

  private TestMedia() {}

  /**
   * An MPEG-1 Layer III stream (128 kbit/s, 44.1 kHz, silent frames) lasting about {@code seconds},
   * behind an ID3v2 tag as most encoders write one.
   */
  public static byte[] mp3(int seconds) {
    int frames = (int) Math.round(seconds * 44100.0 / 1152);
    int frameLength = 144 * 128_000 / 44100; // 417 bytes, no padding
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] id3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 20};
    out.writeBytes(id3);
    out.writeBytes(new byte[20]);
    for (int i = 0; i < frames; i++) {
      byte[] frame = new byte[frameLength];
      frame[0] = (byte) 0xFF;
      frame[1] = (byte) 0xFB; // MPEG-1, Layer III, no CRC
      frame[2] = (byte) 0x90; // 128 kbit/s, 44.1 kHz, no padding
      frame[3] = (byte) 0x44; // joint stereo
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  /**
   * An M4A (MP4 audio) container with a sound track lasting {@code seconds}; its samples are zeros,
   * as many as a very lean codec would need (100 bytes a second), so the duration is plausible.
   */
  public static byte[] m4a(int seconds) {
    byte[] ftyp = box("ftyp", concat("M4A ".getBytes(StandardCharsets.US_ASCII), new byte[4], "M4A isom".getBytes(StandardCharsets.US_ASCII)));
    ByteBuffer mvhd = ByteBuffer.allocate(100);
    mvhd.putInt(0); // version 0, flags
    mvhd.putInt(0).putInt(0); // creation, modification
    mvhd.putInt(1000).putInt(seconds * 1000); // time scale, duration
    ByteBuffer hdlr = ByteBuffer.allocate(25);
    hdlr.putInt(0).putInt(0).put("soun".getBytes(StandardCharsets.US_ASCII));
    byte[] trak = box("trak", box("mdia", box("hdlr", hdlr.array())));
    byte[] moov = box("moov", concat(box("mvhd", mvhd.array()), trak));
    return concat(ftyp, moov, box("mdat", new byte[Math.max(64, seconds * 100)]));
  }

  /**
   * An M4A whose movie header is written as asked: version 1 holds 64-bit times, {@code largeSizes}
   * writes every box with a 64-bit size (size field 1, then the "largesize"), as muxers do for big files.
   */
  public static byte[] m4a(long timescale, long duration, boolean version1, boolean largeSizes, int mdatBytes) {
    byte[] ftyp = box("ftyp", concat("M4A ".getBytes(StandardCharsets.US_ASCII), new byte[4], "M4A isom".getBytes(StandardCharsets.US_ASCII)));
    ByteBuffer mvhd = ByteBuffer.allocate(version1 ? 112 : 100);
    mvhd.putInt(version1 ? 1 << 24 : 0);
    if (version1) {
      mvhd.putLong(0).putLong(0).putInt((int) timescale).putLong(duration);
    } else {
      mvhd.putInt(0).putInt(0).putInt((int) timescale).putInt((int) duration);
    }
    ByteBuffer hdlr = ByteBuffer.allocate(25);
    hdlr.putInt(0).putInt(0).put("soun".getBytes(StandardCharsets.US_ASCII));
    BiFunction<String, byte[], byte[]> box = largeSizes ? TestMedia::box64 : TestMedia::box;
    byte[] trak = box.apply("trak", box.apply("mdia", box.apply("hdlr", hdlr.array())));
    byte[] moov = box.apply("moov", concat(box.apply("mvhd", mvhd.array()), trak));
    return concat(ftyp, moov, box.apply("mdat", new byte[mdatBytes]));
  }

  /** A box with a 64-bit size: size field 1, type, then the size as eight bytes. */
  public static byte[] box64(String type, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(16 + payload.length);
    b.putInt(1).put(type.getBytes(StandardCharsets.US_ASCII)).putLong(16 + payload.length).put(payload);
    return b.array();
  }

  /** A tiny PNG signature and header; enough for a signature check. */
  public static byte[] png() {
    return new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R', 0, 0, 0, 1};
  }

  public static byte[] box(String type, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.putInt(8 + payload.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(payload);
    return b.array();
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
