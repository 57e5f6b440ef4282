package dev.pressline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.pressline.ingest.parse.PostParser;
import dev.pressline.ingest.parse.RejectedPostException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Was a bug, fixed: ingest's parser overflows its stack on a few hostile
 * shapes, and {@code FileProcessor.parse} catches only {@code RuntimeException}, so the
 * {@code StackOverflowError} escapes the "error of its own" reason. Each file must instead be
 * parsed or rejected with a reason.
 */
class ParserStackTest {

  private final PostParser parser = new PostParser(ZoneOffset.UTC);

  private void parsesOrRejects(String name, String text) {
    assertThatCode(() -> {
      try {
        parser.parse(name, text.getBytes(StandardCharsets.UTF_8));
      } catch (RejectedPostException e) {
        // a reason is a fine answer
      }
    }).as(name).doesNotThrowAnyException();
  }

  @Test
  void aLongRunOfAsterisksInATextPostDoesNotOverflowTheStack() {
    // TxtParser's RULE pattern "^(?:[*\\-_=~]\\s*){3,}$" recurses once per character
    parsesOrRejects("stars.txt", "A fine title\n\n" + "*".repeat(800_000) + "\n");
    parsesOrRejects("stars-title.txt", "*".repeat(800_000) + "\n\nbody\n");
  }

  @Test
  void deeplyNestedMarkdownDoesNotOverflowTheStack() {
    parsesOrRejects("quotes.md", "# Nested\n\n" + "> ".repeat(20_000) + "deep text\n");
    parsesOrRejects("lists.md", "# Nested\n\n" + "- ".repeat(20_000) + "deep text\n");
  }
}
