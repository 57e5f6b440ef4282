package dev.pressline.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.ingest.parse.RejectedPostException;
import dev.pressline.ingest.testing.TestMedia;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaProbeTest {

  @TempDir Path dir;
  private final MediaProbe probe = new MediaProbe();

  private Path write(String name, byte[] bytes) throws Exception {
    return Files.write(dir.resolve(name), bytes);
  }

  @Test
  void measuresAnMp3ByItsFrames() throws Exception {
    MediaProbe.Probe p = probe.audio(write("a.mp3", TestMedia.mp3(61)), "mp3", "a.mp3");

    assertThat(p.mimeType()).isEqualTo("audio/mpeg");
    assertThat(p.durationSeconds()).isEqualTo(61);
  }

  @Test
  void measuresAnM4aByItsMovieHeader() throws Exception {
    MediaProbe.Probe p = probe.audio(write("a.m4a", TestMedia.m4a(1800)), "m4a", "a.m4a");

    assertThat(p.mimeType()).isEqualTo("audio/mp4");
    assertThat(p.durationSeconds()).isEqualTo(1800);
  }

  @Test
  void refusesTextNamedMp3AndTruncatedOrForeignAudio() throws Exception {
    Path text = write("fake.mp3", "this is not audio at all, just words".repeat(100).getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> probe.audio(text, "mp3", "fake.mp3"))
        .isInstanceOf(RejectedPostException.class).hasMessageContaining("not a real MP3");

    byte[] mp3 = TestMedia.mp3(10);
    byte[] half = Arrays.copyOf(mp3, mp3.length / 2);
    byte[] mixed = new byte[mp3.length];
    System.arraycopy(half, 0, mixed, 0, half.length);
    Arrays.fill(mixed, half.length, mixed.length, (byte) 0x55);
    assertThatThrownBy(() -> probe.audio(write("mixed.mp3", mixed), "mp3", "mixed.mp3")).hasMessageContaining("only part");

    assertThatThrownBy(() -> probe.audio(write("a.m4a", TestMedia.mp3(5)), "m4a", "a.m4a")).hasMessageContaining("not a real M4A");
    byte[] m4a = TestMedia.m4a(5);
    assertThatThrownBy(() -> probe.audio(write("cut.m4a", Arrays.copyOf(m4a, 40)), "m4a", "cut.m4a")).hasMessageContaining("incomplete");
  }

  @Test
  void checksImageSignaturesAgainstTheExtension() throws Exception {
    assertThat(probe.image(write("c.png", TestMedia.png()), "png", "c.png").mimeType()).isEqualTo("image/png");
    assertThatThrownBy(() -> probe.image(write("c.jpg", TestMedia.png()), "jpg", "c.jpg")).hasMessageContaining("really image/png");
    assertThatThrownBy(() -> probe.image(write("d.png", "GIF? no".getBytes(StandardCharsets.UTF_8)), "png", "d.png"))
        .hasMessageContaining("not a JPEG, PNG, GIF or WebP");
  }

  @Test
  void storesMediaUnderTheHashOfItsBytesOnce() throws Exception {
    MediaStore store = new MediaStore(dir.resolve("media"));
    Path mp3 = write("ep.mp3", TestMedia.mp3(3));

    MediaStore.Stored first = store.store(mp3, "mp3");
    MediaStore.Stored again = store.store(mp3, "mp3");

    assertThat(first).isEqualTo(again);
    assertThat(first.fileName()).matches("[0-9a-f]{64}\\.mp3");
    assertThat(Files.readAllBytes(dir.resolve("media").resolve(first.fileName()))).isEqualTo(Files.readAllBytes(mp3));
    try (var files = Files.list(dir.resolve("media"))) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void measuresAnM4aWrittenWith64BitBoxSizesAndA64BitMovieHeader() throws Exception {
    byte[] m4a = TestMedia.m4a(48_000, 48_000L * 3600, true, true, 400_000);

    MediaProbe.Probe p = probe.audio(write("big.m4a", m4a), "m4a", "big.m4a");

    assertThat(p.durationSeconds()).isEqualTo(3600);
  }

  @Test
  void rejectsAnM4aWhoseBoxSizesLieInsteadOfFailingOnIt() throws Exception {
    byte[] good = TestMedia.m4a(1000, 5000, false, true, 1000);
    // the moov box's 64-bit size claims far more than the file holds
    byte[] lying = good.clone();
    int moov = 24; // after the 24-byte ftyp
    ByteBuffer.wrap(lying).putLong(moov + 8, Long.MAX_VALUE - 3);
    byte[] negative = good.clone();
    ByteBuffer.wrap(negative).putLong(moov + 8, -8);
    // the movie header cut short: only its version byte is left
    byte[] cutHeader = TestMedia.concat(Arrays.copyOf(good, 24),
        TestMedia.box("moov", TestMedia.concat(TestMedia.box("trak", TestMedia.box("mdia",
            TestMedia.box("hdlr", TestMedia.concat(new byte[8], "soun".getBytes(StandardCharsets.US_ASCII))))),
            TestMedia.box("mvhd", new byte[] {1}))));

    for (byte[] bad : new byte[][] {lying, negative, cutHeader}) {
      assertThatThrownBy(() -> probe.audio(write("bad.m4a", bad), "m4a", "bad.m4a"))
          .isInstanceOf(RejectedPostException.class).hasMessageContaining("bad.m4a");
    }
  }

  @Test
  void rejectsAnM4aClaimingADurationItsBytesCannotHold() throws Exception {
    byte[] eternal = TestMedia.m4a(1, Long.MAX_VALUE, true, false, 0);
    byte[] beyond = TestMedia.m4a(1, -1L, true, false, 0);
    byte[] tooLongForItsSize = TestMedia.m4a(1000, 1000L * 36_000, false, false, 64);

    assertThat(eternal.length).isLessThan(250);
    for (byte[] bad : new byte[][] {eternal, beyond, tooLongForItsSize}) {
      assertThatThrownBy(() -> probe.audio(write("long.m4a", bad), "m4a", "long.m4a"))
          .isInstanceOf(RejectedPostException.class).hasMessageContaining("claims to play for");
    }
    // more than a week is refused however large the file
    assertThatThrownBy(() -> MediaProbe.plausible(8 * 86_400, Long.MAX_VALUE, "week.m4a"))
        .hasMessageContaining("more than 7 days");
    assertThat(MediaProbe.plausible(6 * 86_400, Long.MAX_VALUE, "days.m4a")).isEqualTo(6 * 86_400);
  }
}
