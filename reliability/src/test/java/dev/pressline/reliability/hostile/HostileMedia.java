package dev.pressline.reliability.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A generator of broken and lying audio containers, MP3 and M4A: cut short, boxes whose sizes lie
 * (past the file, past their parent, below their header, 64-bit sizes true and false), movie
 * headers with absurd durations or no time scale, ID3 tags claiming more than the file, MPEG frame
 * headers with forbidden fields, and random bytes behind a real signature. Seeded like
 * {@link HostileFiles}, so a failing file is reproduced from the seed the test printed.
 */
public final class HostileMedia {

  private final Random random;
  private final List<Function<Random, HostileFile>> families = List.of(
      this::truncatedM4a, this::lyingBoxSize, this::largeSizes, this::absurdDuration, this::randomAfterFtyp,
      this::mutatedM4a, this::truncatedMp3, this::lyingId3, this::forbiddenFrameHeaders, this::mutatedMp3);

  public HostileMedia(long seed) {
    this.random = new Random(seed);
  }

  /** An endless stream of hostile audio files, each family equally likely. */
  public Stream<HostileFile> stream() {
    return Stream.generate(() -> families.get(random.nextInt(families.size())).apply(random));
  }

  // --- M4A -------------------------------------------------------------------------------------

  /** A well-formed M4A: ftyp, moov (mvhd, trak/mdia/hdlr soun), mdat; 64-bit sizes on request. */
  static byte[] m4a(int version, long timescale, long duration, boolean largeSizes, int mdatBytes) {
    byte[] ftyp = box("ftyp", concat(ascii("M4A "), new byte[4], ascii("M4A isom")), false);
    ByteBuffer mvhd = ByteBuffer.allocate(version == 1 ? 112 : 100);
    mvhd.putInt(version << 24);
    if (version == 1) {
      mvhd.putLong(0).putLong(0).putInt((int) timescale).putLong(duration);
    } else {
      mvhd.putInt(0).putInt(0).putInt((int) timescale).putInt((int) duration);
    }
    ByteBuffer hdlr = ByteBuffer.allocate(25).putInt(0).putInt(0).put(ascii("soun"));
    byte[] trak = box("trak", box("mdia", box("hdlr", hdlr.array(), largeSizes), largeSizes), largeSizes);
    byte[] moov = box("moov", concat(box("mvhd", mvhd.array(), largeSizes), trak), largeSizes);
    return concat(ftyp, moov, box("mdat", new byte[mdatBytes], largeSizes));
  }

  private static byte[] plausibleM4a(Random r) {
    int seconds = 1 + r.nextInt(60);
    return m4a(r.nextInt(2), 1000, seconds * 1000L, r.nextBoolean(), seconds * 200);
  }

  private HostileFile truncatedM4a(Random r) {
    byte[] good = plausibleM4a(r);
    return new HostileFile("m4a cut short", "cut.m4a", Arrays.copyOf(good, r.nextInt(good.length)));
  }

  /** One box's 32-bit size rewritten: past the file, below its header, zero, one without a largesize. */
  private HostileFile lyingBoxSize(Random r) {
    byte[] bytes = plausibleM4a(r);
    List<Integer> boxes = boxStarts(bytes);
    int at = boxes.get(r.nextInt(boxes.size()));
    long[] lies = {0, 1, 2, 7, 8, 9, bytes.length - at + 1L, 0xFFFFFFFFL, 0x80000000L, r.nextInt(bytes.length + 64)};
    ByteBuffer.wrap(bytes).putInt(at, (int) lies[r.nextInt(lies.length)]);
    return new HostileFile("m4a lying box size", "lying.m4a", bytes);
  }

  /** A 64-bit box size (size field 1) that is true, past the file, negative, or below its header. */
  private HostileFile largeSizes(Random r) {
    int seconds = 1 + r.nextInt(60);
    byte[] bytes = m4a(r.nextInt(2), 1000, seconds * 1000L, true, seconds * 200);
    if (r.nextInt(4) > 0) {
      List<Integer> large = boxStarts(bytes).stream().filter(p -> ByteBuffer.wrap(bytes).getInt(p) == 1).toList();
      int at = large.get(r.nextInt(large.size()));
      long[] lies = {Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, 8, 15, 16, bytes.length + 1L, 1L << 32, (1L << 32) + 16};
      ByteBuffer.wrap(bytes).putLong(at + 8, lies[r.nextInt(lies.length)]);
    }
    return new HostileFile("m4a 64-bit box size", "large.m4a", bytes);
  }

  /** A movie header whose duration or time scale no real file has. */
  private HostileFile absurdDuration(Random r) {
    long[] durations = {Long.MAX_VALUE, Long.MIN_VALUE, -1, 1L << 63, 0xFFFFFFFFL, 0, 1, 86_400L * 365 * 1000};
    long[] scales = {0, 1, 1000, 0xFFFFFFFFL, 44_100};
    int version = r.nextInt(2);
    byte[] bytes = m4a(version, scales[r.nextInt(scales.length)], durations[r.nextInt(durations.length)],
        r.nextBoolean(), r.nextInt(4) == 0 ? 0 : r.nextInt(100_000));
    return new HostileFile("m4a absurd duration", "absurd.m4a", bytes);
  }

  private HostileFile randomAfterFtyp(Random r) {
    byte[] noise = new byte[r.nextInt(4096)];
    r.nextBytes(noise);
    byte[] ftyp = box("ftyp", concat(ascii("M4A "), new byte[4], ascii("M4A isom")), false);
    return new HostileFile("m4a random after ftyp", "noise.m4a", concat(ftyp, noise));
  }

  /** A plausible M4A with a few bytes changed anywhere. */
  private HostileFile mutatedM4a(Random r) {
    byte[] bytes = plausibleM4a(r);
    mutate(r, bytes);
    return new HostileFile("m4a mutated", "mutated.m4a", bytes);
  }

  // --- MP3 -------------------------------------------------------------------------------------

  /** An MPEG-1 Layer III stream of silent frames behind an ID3v2 tag. */
  static byte[] mp3(int frames, int id3Size) {
    int frameLength = 144 * 128_000 / 44100;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0, (byte) ((id3Size >> 21) & 0x7F), (byte) ((id3Size >> 14) & 0x7F),
        (byte) ((id3Size >> 7) & 0x7F), (byte) (id3Size & 0x7F)});
    out.writeBytes(new byte[Math.min(id3Size, 64)]);
    for (int i = 0; i < frames; i++) {
      byte[] frame = new byte[frameLength];
      frame[0] = (byte) 0xFF;
      frame[1] = (byte) 0xFB;
      frame[2] = (byte) 0x90;
      frame[3] = (byte) 0x44;
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  private HostileFile truncatedMp3(Random r) {
    byte[] good = mp3(3 + r.nextInt(200), 20);
    return new HostileFile("mp3 cut short", "cut.mp3", Arrays.copyOf(good, r.nextInt(good.length)));
  }

  /** An ID3 tag whose size says more (or less) than there is. */
  private HostileFile lyingId3(Random r) {
    int[] sizes = {0x0FFFFFFF, 0, 1, 63, 65, 1 << 20};
    int size = sizes[r.nextInt(sizes.length)];
    byte[] bytes = mp3(3 + r.nextInt(50), size);
    if (r.nextBoolean()) {
      bytes[5] = 0x10; // claims a footer as well
    }
    return new HostileFile("mp3 lying ID3 size", "id3.mp3", bytes);
  }

  /** Frames whose headers use the reserved version, layer, bit rate or sample rate values. */
  private HostileFile forbiddenFrameHeaders(Random r) {
    byte[] bytes = mp3(3 + r.nextInt(50), 20);
    byte[][] headers = {{(byte) 0xFF, (byte) 0xEB, (byte) 0x90}, {(byte) 0xFF, (byte) 0xF9, (byte) 0x90},
        {(byte) 0xFF, (byte) 0xFB, (byte) 0xF0}, {(byte) 0xFF, (byte) 0xFB, (byte) 0x0C}, {(byte) 0xFF, (byte) 0xFB, 0},
        {(byte) 0xFF, (byte) 0xE3, (byte) 0x10}};
    byte[] header = headers[r.nextInt(headers.length)];
    for (int p = 30; p + 3 < bytes.length; p += 417) {
      if (r.nextInt(3) == 0) {
        System.arraycopy(header, 0, bytes, p, 3);
      }
    }
    return new HostileFile("mp3 forbidden frame headers", "frames.mp3", bytes);
  }

  private HostileFile mutatedMp3(Random r) {
    byte[] bytes = mp3(3 + r.nextInt(100), 20);
    mutate(r, bytes);
    return new HostileFile("mp3 mutated", "mutated.mp3", bytes);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static void mutate(Random r, byte[] bytes) {
    for (int i = 1 + r.nextInt(8); i > 0 && bytes.length > 0; i--) {
      bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
    }
  }

  /** Where each box of a well-formed M4A starts, nested boxes included. */
  private static List<Integer> boxStarts(byte[] bytes) {
    ArrayList<Integer> starts = new ArrayList<>();
    collect(ByteBuffer.wrap(bytes), 0, bytes.length, starts);
    return starts;
  }

  private static void collect(ByteBuffer b, int from, int to, List<Integer> starts) {
    for (int p = from; p + 8 <= to; ) {
      long size = Integer.toUnsignedLong(b.getInt(p));
      int header = 8;
      if (size == 1) {
        size = b.getLong(p + 8);
        header = 16;
      }
      starts.add(p);
      String type = new String(bytes(b, p + 4, 4), StandardCharsets.ISO_8859_1);
      if (List.of("moov", "trak", "mdia").contains(type)) {
        collect(b, p + header, (int) (p + size), starts);
      }
      p += (int) size;
    }
  }

  private static byte[] bytes(ByteBuffer b, int at, int n) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = b.get(at + i);
    }
    return out;
  }

  private static byte[] box(String type, byte[] payload, boolean large) {
    ByteBuffer b = ByteBuffer.allocate((large ? 16 : 8) + payload.length);
    if (large) {
      b.putInt(1).put(ascii(type)).putLong(16L + payload.length);
    } else {
      b.putInt(8 + payload.length).put(ascii(type));
    }
    return b.put(payload).array();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
