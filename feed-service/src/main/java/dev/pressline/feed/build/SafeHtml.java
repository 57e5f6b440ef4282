package dev.pressline.feed.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.owasp.html.Encoding;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * The one HTML policy for post bodies. Ingest already sanitises, but the topic is a trust boundary:
 * anything with write access to Kafka could put markup there, so the feed sanitises again before a
 * body reaches a page or a feed reader.
 */
public final class SafeHtml {

  private final PolicyFactory policy =
      Sanitizers.FORMATTING
          .and(Sanitizers.BLOCKS)
          .and(Sanitizers.LINKS)
          .and(Sanitizers.IMAGES)
          .and(Sanitizers.TABLES)
          .and(
              new HtmlPolicyBuilder()
                  .allowElements("hr", "figure", "figcaption", "pre", "code")
                  .toFactory());

  /**
   * {@code html} with everything outside the policy removed (scripts, handlers, styles, frames).
   */
  public String sanitize(String html) {
    return policy.sanitize(html);
  }

  /**
   * Plain text as HTML that shows it literally: feed readers treat an RSS description as HTML, so a
   * summary such as {@code <svg onload=…>} must arrive as characters, not markup.
   */
  public String escapeText(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    try {
      Encoding.encodeRcdataOnto(text, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringBuilder does not fail
    }
    return out.toString();
  }
}
