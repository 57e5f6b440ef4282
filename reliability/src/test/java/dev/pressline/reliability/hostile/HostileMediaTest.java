package dev.pressline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.ingest.media.MediaProbe;
import dev.pressline.ingest.parse.RejectedPostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of generated broken and lying MP3 and M4A files through ingest's media probe: each is
 * refused with a reason an editor can read, or measured with sane metadata (an audio MIME type, a
 * duration of at most a week that the file's bytes can hold). Any exception other than a refusal
 * fails. {@code -Dpressline.hostile.seed=…} repeats a run, {@code -Dpressline.hostile.media=…} sizes it.
 */
class HostileMediaTest {

  private static final int FILES = Integer.getInteger("pressline.hostile.media", 3_000);
  private static final long WEEK = 7L * 24 * 3600;

  @TempDir Path dir;
  private final MediaProbe probe = new MediaProbe();

  @Test
  void everyHostileAudioFileIsRejectedWithAReasonOrMeasuredSanely() throws Exception {
    long seed = Long.getLong("pressline.hostile.seed", System.nanoTime());
    Map<String, int[]> outcomes = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    List<HostileFile> files = new HostileMedia(seed).stream().limit(FILES).toList();
    for (HostileFile file : files) {
      int[] counts = outcomes.computeIfAbsent(file.kind(), k -> new int[3]);
      Path path = Files.write(dir.resolve(file.name()), file.bytes());
      String extension = file.name().substring(file.name().lastIndexOf('.') + 1);
      try {
        MediaProbe.Probe p = probe.audio(path, extension, file.name());
        assertThat(p.mimeType()).as("type of %s", file).isIn("audio/mpeg", "audio/mp4");
        assertThat(p.durationSeconds()).as("duration of %s", file).isNotNull().isBetween(0L, WEEK)
            .isLessThanOrEqualTo(file.bytes().length / 100L);
        counts[0]++;
      } catch (RejectedPostException e) {
        counts[1]++;
        if (e.reason() == null || e.reason().isBlank()) {
          failures.add(file + ": rejected without a reason");
        }
      } catch (AssertionError | RuntimeException e) {
        counts[2]++;
        failures.add(file + ": " + e.toString().lines().findFirst().orElse("") + " bytes: "
            + FileShrinker.describe(file.bytes()));
      }
    }
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "%nHostile media (seed %d): %d files%n| %-30s | %8s | %8s | %8s |%n", seed, FILES, "kind", "measured",
        "rejected", "failed"));
    outcomes.forEach((kind, c) -> table.append(String.format(Locale.ROOT, "| %-30s | %8d | %8d | %8d |%n", kind,
        c[0], c[1], c[2])));
    System.out.println(table);
    assertThat(failures).as("audio files that made the probe fail or came out with nonsense (seed %d)", seed)
        .isEmpty();
  }
}
