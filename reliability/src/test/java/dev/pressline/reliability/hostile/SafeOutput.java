package dev.pressline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What must hold of anything the ingest lets through, whatever the file it came from. */
final class SafeOutput {

  /** A real tag: escaped text such as {@code &lt;script&gt;} is harmless and does not match. */
  private static final Pattern TAG = Pattern.compile("<\\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>");
  private static final Pattern HANDLER_OR_SCRIPT_URL =
      Pattern.compile("(^|[\\s\"'/])on[a-z]+\\s*=|(javascript|vbscript|data)\\s*:", Pattern.CASE_INSENSITIVE);
  private static final Set<String> ACTIVE_TAGS =
      Set.of("script", "iframe", "object", "embed", "form", "style", "svg", "math", "base", "meta", "link", "frame");

  private SafeOutput() {}

  /** A title becomes a mail subject and a feed title: one line, no control characters. */
  static void assertSafeTitle(String title) {
    assertThat(title).as("title").isNotBlank().hasSizeLessThanOrEqualTo(300);
    assertThat(title.chars().filter(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'))
        .as("control characters or line breaks in the title %s", title).isEmpty();
  }

  /** Body HTML reaches mail and pages: no tag that runs, no event handler, no script URL. */
  static void assertInertHtml(String html) {
    Matcher tag = TAG.matcher(html);
    while (tag.find()) {
      String name = tag.group(1).toLowerCase(Locale.ROOT);
      assertThat(ACTIVE_TAGS).as("active tag %s in the sanitised HTML", tag.group()).doesNotContain(name);
      assertThat(HANDLER_OR_SCRIPT_URL.matcher(tag.group(2)).find())
          .as("event handler or script URL in %s", tag.group()).isFalse();
    }
  }
}
