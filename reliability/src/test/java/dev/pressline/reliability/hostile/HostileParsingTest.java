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
 * an editor can read, or becomes a post whose title is a safe one-line subject, whose summary is one
 * line and whose HTML cannot run. Any other outcome (an exception, a stack overflow, an unsafe title)
 * fails; the file is first shrunk to the few bytes that still fail the same way, and the report
 * names both. {@code -Dpressline.hostile.seed=…} repeats a run, {@code -Dpressline.hostile.parses=…}
 * sizes it.
 */
class HostileParsingTest {

  private static final int FILES = Integer.getInteger("pressline.hostile.parses", 2_000);
  private static final int SHRINK_TRIES = 2_000;

  private final PostParser parser = new PostParser(ZoneOffset.UTC);

  @Test
  void everyHostileFileIsRejectedWithAReasonOrParsedSafely() {
    long seed = Long.getLong("pressline.hostile.seed", System.nanoTime());
    Map<String, int[]> outcomes = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    new HostileFiles(seed).stream().limit(FILES).forEach(file -> {
      int[] counts = outcomes.computeIfAbsent(file.kind(), k -> new int[3]);
      Outcome outcome = check(file.name(), file.bytes());
      counts[outcome.column()]++;
      if (outcome.failure() != null) {
        String how = outcome.failure();
        byte[] small = FileShrinker.shrink(file.bytes(), bytes -> how.equals(check(file.name(), bytes).failure()),
            SHRINK_TRIES);
        failures.add(file + ": " + outcome.detail() + "; shrunk to " + small.length + " bytes: "
            + FileShrinker.describe(small));
      }
    });
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "%nHostile parsing (seed %d): %d files%n| %-30s | %8s | %8s | %8s |%n", seed, FILES, "kind", "parsed",
        "rejected", "failed"));
    outcomes.forEach((kind, c) -> table.append(String.format(Locale.ROOT, "| %-30s | %8d | %8d | %8d |%n", kind,
        c[0], c[1], c[2])));
    System.out.println(table);
    assertThat(failures).as("files that crashed the parser or came out unsafe (seed %d)", seed).isEmpty();
  }

  /**
   * What the parser made of one file: its column in the table (parsed, rejected, failed) and, for a
   * failure, which check failed (what the shrinker must keep failing) and the whole message.
   */
  private record Outcome(int column, String failure, String detail) {
    static final Outcome PARSED = new Outcome(0, null, null);
    static final Outcome REJECTED = new Outcome(1, null, null);

    static Outcome failed(String failure, String detail) {
      return new Outcome(2, failure, detail);
    }
  }

  private Outcome check(String name, byte[] bytes) {
    try {
      ParsedPost post = parser.parse(name, bytes);
      SafeOutput.assertSafeTitle(post.title());
      SafeOutput.assertInertHtml(post.html());
      assertThat(post.summary().chars().filter(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'))
          .as("line breaks or control characters in the summary").isEmpty();
      return Outcome.PARSED;
    } catch (RejectedPostException e) {
      return e.reason() == null || e.reason().isBlank() ? Outcome.failed("no reason", "rejected without a reason")
          : Outcome.REJECTED;
    } catch (StackOverflowError e) {
      // was a bug (ParserStackTest): the parser now rejects such files with a reason
      return Outcome.failed("stack overflow", "overflowed the parser's stack");
    } catch (AssertionError e) {
      // "[title] …": the check that failed, without the values, is the kind of failure
      String message = String.valueOf(e.getMessage()).strip();
      String check = message.startsWith("[") ? message.substring(0, message.indexOf(']') + 1) : "assertion";
      return Outcome.failed(check, message.lines().limit(3).reduce((a, b) -> a + " " + b).orElse(message));
    } catch (RuntimeException | OutOfMemoryError e) {
      return Outcome.failed(e.getClass().getName(), e.toString());
    }
  }
}
