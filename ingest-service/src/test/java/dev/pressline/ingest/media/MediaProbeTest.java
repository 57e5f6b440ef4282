package dev.pressline.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.ingest.parse.RejectedPostException;
import dev.pressline.ingest.testing.TestMedia;
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
}
