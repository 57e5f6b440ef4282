package dev.pressline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.ingest.parse.ParsedPost;
import dev.pressline.ingest.parse.PostParser;
import dev.pressline.ingest.parse.RejectedPostException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated hostile post files through ingest's parser: each is refused with a reason
 * an editor can read, or becomes a post whose title is a safe one-line subject and whose HTML cannot
 * run. Any other outcome (an exception, a stack overflow, an unsafe title) is listed and fails.
 * {@code -Dpressline.hostile.seed=…} repeats a run, {@code -Dpressline.hostile.parses=…} sizes it.
 */
class HostileParsingTest {

  private static final int FILES = Integer.getInteger("pressline.hostile.parses", 2_000);

  private final PostParser parser = new PostParser(ZoneOffset.UTC);

  @Test
  void everyHostileFileIsRejectedWithAReasonOrParsedSafely() {
    long seed = Long.getLong("pressline.hostile.seed", System.nanoTime());
    Map<String, int[]> outcomes = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    List<String> overflows = new ArrayList<>();
    new HostileFiles(seed).stream().limit(FILES).forEach(file -> {
      int[] counts = outcomes.computeIfAbsent(file.kind(), k -> new int[2]);
      try {
        ParsedPost post = parser.parse(file.name(), file.bytes());
        SafeOutput.assertSafeTitle(post.title());
        SafeOutput.assertInertHtml(post.html());
        assertThat(post.summary().chars().filter(c -> c == '\r' || c == '\n')).as("line breaks in the summary").isEmpty();
        counts[0]++;
      } catch (RejectedPostException e) {
        if (e.reason() == null || e.reason().isBlank()) {
          failures.add(file + ": rejected without a reason");
        }
        counts[1]++;
      } catch (StackOverflowError e) {
        // was a bug (ParserStackTest): the parser now rejects such files with a reason
        overflows.add(file.toString());
        failures.add(file + ": overflowed the parser's stack");
      } catch (AssertionError | RuntimeException | OutOfMemoryError e) {
        failures.add(file + ": " + e);
      }
    });
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "%nHostile parsing (seed %d): %d files%n| %-28s | %8s | %8s |%n", seed, FILES, "kind", "parsed", "rejected"));
    outcomes.forEach((kind, c) -> table.append(String.format(Locale.ROOT, "| %-28s | %8d | %8d |%n", kind, c[0], c[1])));
    table.append(String.format(Locale.ROOT, "stack overflows inside the parser: %d %s%n", overflows.size(),
        overflows));
    System.out.println(table);
    assertThat(failures).as("files that crashed the parser or came out unsafe (seed %d)", seed).isEmpty();
  }
}
