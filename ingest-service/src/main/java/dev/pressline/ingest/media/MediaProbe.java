package dev.pressline.ingest.media;

import dev.pressline.ingest.parse.RejectedPostException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks that an audio or image file really is what its name says, and finds its MIME type and, for
 * audio, its duration. MP3 is checked by walking its MPEG Layer III frame headers; M4A by its MP4
 * boxes ({@code ftyp}, and {@code moov/mvhd} for the duration, with a sound track); images by their
 * signatures. No external tools, no decoding.
 */
public final class MediaProbe {

  /**
   * What a media file turned out to be.
   *
   * @param mimeType its MIME type
   * @param durationSeconds playing time rounded to whole seconds, or null for images
   */
  public record Probe(String mimeType, Long durationSeconds) {}

  private static final int[] BITRATE_V1_L3 = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
  private static final int[] BITRATE_V2_L3 = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
  private static final int[] SAMPLE_RATE_V1 = {44100, 48000, 32000};
  /** Longest episode taken: a week; a longer duration in a header is a damaged or hostile file. */
  static final long MAX_SECONDS = 7L * 24 * 3600;
  /** 800 bit/s: below the leanest speech codec; a file claiming to play longer for its size lies. */
  static final long MIN_BYTES_PER_SECOND = 100;

  public Probe audio(Path file, String extension, String shownName) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      return switch (extension) {
        case "mp3" -> mp3(bytes, shownName);
        case "m4a" -> m4a(bytes, shownName);
        default -> throw new RejectedPostException(
            "The audio ‘" + shownName + "’ must be an .mp3 or .m4a file.");
      };
    }
  }

  public Probe image(Path file, String extension, String shownName) throws IOException {
    byte[] head = new byte[16];
    int n;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      n = channel.read(ByteBuffer.wrap(head));
    }
    String mime = null;
    if (n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
      mime = "image/png";
    } else if (n >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
      mime = "image/jpeg";
    } else if (n >= 6 && new String(head, 0, 6, StandardCharsets.US_ASCII).matches("GIF8[79]a")) {
      mime = "image/gif";
    } else if (n >= 12 && new String(head, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
        && new String(head, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) {
      mime = "image/webp";
    }
    if (mime == null) {
      throw new RejectedPostException(
          "The image ‘" + shownName + "’ is not a JPEG, PNG, GIF or WebP picture (its first bytes say otherwise).");
    }
    String expected = switch (extension) {
      case "jpg", "jpeg" -> "image/jpeg";
      case "png" -> "image/png";
      case "gif" -> "image/gif";
      case "webp" -> "image/webp";
      default -> null;
    };
    if (!mime.equals(expected)) {
      throw new RejectedPostException(
          "The image ‘" + shownName + "’ is named ." + extension + " but is really " + mime + ". Give it the right extension.");
    }
    return new Probe(mime, null);
  }

  private static Probe mp3(ByteBuffer b, String name) {
    int limit = b.limit();
    int pos = 0;
    if (limit >= 10 && b.get(0) == 'I' && b.get(1) == 'D' && b.get(2) == '3') {
      int size = ((b.get(6) & 0x7F) << 21) | ((b.get(7) & 0x7F) << 14) | ((b.get(8) & 0x7F) << 7) | (b.get(9) & 0x7F);
      boolean footer = (b.get(5) & 0x10) != 0;
      pos = 10 + size + (footer ? 10 : 0);
    }
    int searchEnd = Math.min(limit - 4, pos + 64 * 1024);
    int start = -1;
    for (int i = pos; i < searchEnd; i++) {
      if (frameLength(b, i) > 0 && chainOfFrames(b, i, 3)) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      throw new RejectedPostException(
          "The audio ‘" + name + "’ is not a real MP3 file: no MPEG audio frames were found in it.");
    }
    long samples = 0;
    int sampleRate = sampleRate(b, start);
    int frames = 0;
    int p = start;
    while (p + 4 <= limit) {
      int len = frameLength(b, p);
      if (len <= 0 || p + len > limit) {
        break;
      }
      samples += samplesPerFrame(b, p);
      frames++;
      p += len;
    }
    int trailing = limit - p;
    boolean id3v1 = trailing == 128 && b.get(p) == 'T' && b.get(p + 1) == 'A' && b.get(p + 2) == 'G';
    if (frames < 3 || (trailing > 128 && !id3v1 && trailing > limit / 10)) {
      throw new RejectedPostException(
          "The audio ‘" + name + "’ is not a complete MP3 file: only part of it is MPEG audio. Export it again.");
    }
    return new Probe("audio/mpeg", plausible(Math.round((double) samples / sampleRate), limit, name));
  }

  private static boolean chainOfFrames(ByteBuffer b, int at, int count) {
    int p = at;
    for (int i = 0; i < count; i++) {
      int len = frameLength(b, p);
      if (len <= 0) {
        return false;
      }
      p += len;
      if (p + 4 > b.limit()) {
        return i >= 1;
      }
    }
    return true;
  }

  /** Length of the MPEG-1/2/2.5 Layer III frame whose header starts at {@code p}, or -1. */
  private static int frameLength(ByteBuffer b, int p) {
    if (p + 4 > b.limit()) {
      return -1;
    }
    int b0 = b.get(p) & 0xFF;
    int b1 = b.get(p + 1) & 0xFF;
    int b2 = b.get(p + 2) & 0xFF;
    if (b0 != 0xFF || (b1 & 0xE0) != 0xE0) {
      return -1;
    }
    int version = (b1 >> 3) & 3;
    int layer = (b1 >> 1) & 3;
    int bitrateIndex = (b2 >> 4) & 0xF;
    int rateIndex = (b2 >> 2) & 3;
    if (version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
      return -1;
    }
    boolean v1 = version == 3;
    int bitrate = (v1 ? BITRATE_V1_L3 : BITRATE_V2_L3)[bitrateIndex] * 1000;
    int sampleRate = sampleRate(b, p);
    int padding = (b2 >> 1) & 1;
    return (v1 ? 144 : 72) * bitrate / sampleRate + padding;
  }

  private static int sampleRate(ByteBuffer b, int p) {
    int b1 = b.get(p + 1) & 0xFF;
    int version = (b1 >> 3) & 3;
    int rate = SAMPLE_RATE_V1[(b.get(p + 2) >> 2) & 3];
    return version == 3 ? rate : version == 2 ? rate / 2 : rate / 4;
  }

  private static int samplesPerFrame(ByteBuffer b, int p) {
    return ((b.get(p + 1) >> 3) & 3) == 3 ? 1152 : 576;
  }

  private static Probe m4a(ByteBuffer b, String name) {
    int limit = b.limit();
    Box ftyp = box(b, 0, limit);
    if (limit < 16 || ftyp == null || !ftyp.type().equals("ftyp")) {
      throw new RejectedPostException(
          "The audio ‘" + name + "’ is not a real M4A file: it does not start like an MP4 container.");
    }
    Box moov = findBox(b, 0, limit, "moov");
    Box mvhd = moov == null ? null : findBox(b, moov.content(), moov.end(), "mvhd");
    if (mvhd == null) {
      throw new RejectedPostException(
          "The audio ‘" + name + "’ is an incomplete M4A file: it has no movie header (moov/mvhd). Export it again.");
    }
    if (!hasSoundTrack(b, moov)) {
      throw new RejectedPostException("The file ‘" + name + "’ is an MP4 container without a sound track.");
    }
    int at = mvhd.content();
    int version = at < mvhd.end() ? b.get(at) & 0xFF : -1;
    // version 1 holds 64-bit times: creation, modification (8 + 8), time scale (4), duration (8)
    int needed = version == 1 ? 4 + 16 + 4 + 8 : 4 + 8 + 4 + 4;
    if ((version != 0 && version != 1) || at + needed > mvhd.end()) {
      throw new RejectedPostException("The audio ‘" + name + "’ has a broken movie header (moov/mvhd). Export it again.");
    }
    long timescale = Integer.toUnsignedLong(b.getInt(version == 1 ? at + 20 : at + 12));
    long duration = version == 1 ? b.getLong(at + 24) : Integer.toUnsignedLong(b.getInt(at + 16));
    if (timescale == 0) {
      throw new RejectedPostException("The audio ‘" + name + "’ has a broken movie header (time scale 0).");
    }
    // a 64-bit duration read as signed is negative beyond 2^63 ticks: no real file says so
    double seconds = duration < 0 ? Double.MAX_VALUE : (double) duration / timescale;
    return new Probe("audio/mp4", plausible(Math.round(seconds), limit, name));
  }

  /**
   * The duration if a file of {@code bytes} can really play that long, else a rejection: at most
   * {@link #MAX_SECONDS}, and at least {@link #MIN_BYTES_PER_SECOND} bytes per second (far below any
   * real audio codec), so a header that lies does not reach podcast apps as a nonsense duration.
   */
  static long plausible(long seconds, long bytes, String name) {
    if (seconds > MAX_SECONDS || seconds > bytes / MIN_BYTES_PER_SECOND) {
      String claimed = seconds > MAX_SECONDS ? "more than " + MAX_SECONDS / 86_400 + " days" : seconds + " seconds";
      throw new RejectedPostException("The audio ‘" + name + "’ claims to play for " + claimed + ", which a file of "
          + bytes + " bytes cannot hold: it is damaged or not really audio. Export it again.");
    }
    return seconds;
  }

  private static boolean hasSoundTrack(ByteBuffer b, Box moov) {
    for (int p = moov.content(); ; ) {
      Box child = box(b, p, moov.end());
      if (child == null) {
        return false;
      }
      if (child.type().equals("trak")) {
        Box mdia = findBox(b, child.content(), child.end(), "mdia");
        Box hdlr = mdia == null ? null : findBox(b, mdia.content(), mdia.end(), "hdlr");
        // hdlr: version and flags (4), pre-defined (4), then the handler type
        if (hdlr != null && hdlr.content() + 12 <= hdlr.end() && type(b, hdlr.content() + 8).equals("soun")) {
          return true;
        }
      }
      p = child.end();
    }
  }

  /** The first box of type {@code wanted} among the boxes from {@code from} up to {@code to}, or null. */
  private static Box findBox(ByteBuffer b, int from, int to, String wanted) {
    for (int p = from; ; ) {
      Box box = box(b, p, to);
      if (box == null) {
        return null;
      }
      if (box.type().equals(wanted)) {
        return box;
      }
      p = box.end();
    }
  }

  /**
   * One MP4 box at {@code p}, which must lie wholly before {@code to}; null when there is none or its
   * size cannot be true. Sizes are 32-bit, 64-bit ("largesize", size 1) or 0 (up to the end).
   *
   * @param content where its content starts, after the 8- or 16-byte header
   * @param end where it ends: the next box starts there
   */
  private record Box(String type, int content, int end) {}

  private static Box box(ByteBuffer b, int p, int to) {
    int end = Math.min(to, b.limit());
    if (p < 0 || p + 8 > end) {
      return null;
    }
    long size = Integer.toUnsignedLong(b.getInt(p));
    int header = 8;
    if (size == 1) {
      if (p + 16 > end) {
        return null;
      }
      size = b.getLong(p + 8);
      header = 16;
    } else if (size == 0) {
      size = end - p;
    }
    // a negative largesize is beyond 2^63; any size past the enclosing box is a lie
    if (size < header || size > end - p) {
      return null;
    }
    return new Box(type(b, p + 4), p + header, (int) (p + size));
  }

  private static String type(ByteBuffer b, int p) {
    if (p + 4 > b.limit()) {
      return "";
    }
    byte[] t = new byte[4];
    for (int i = 0; i < 4; i++) {
      t[i] = b.get(p + i);
    }
    return new String(t, StandardCharsets.ISO_8859_1);
  }
}
