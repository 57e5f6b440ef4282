package dev.pressline.ingest.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.owasp.html.HtmlChangeListener;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * Keeps the HTML a post may carry into email and feed and drops everything else: no scripts, event
 * handlers, {@code javascript:} links, frames, forms or styles. Built on OWASP's java-html-sanitizer.
 */
public final class HtmlSanitiser {

  /** Sanitised HTML and what was removed, for the editor's warnings. */
  public record Result(String html, List<String> removed) {}

  /** The only class a post's HTML keeps: a code block's language, as Markdown fences write it. */
  private static final Pattern CODE_CLASS = Pattern.compile("language-[A-Za-z0-9_+-]+");

  private static final PolicyFactory POLICY =
      new HtmlPolicyBuilder()
          .allowElements(
              "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em", "strong",
              "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "ul", "ol", "li", "dl", "dt", "dd",
              "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
              "span", "div", "abbr", "cite", "q")
          .allowUrlProtocols("http", "https", "mailto")
          .allowAttributes("href", "title").onElements("a")
          .allowAttributes("src", "alt", "title", "width", "height").onElements("img")
          .allowAttributes("start", "reversed").onElements("ol")
          .allowAttributes("colspan", "rowspan").onElements("td", "th")
          .allowAttributes("title").onElements("abbr")
          .allowAttributes("class").matching(CODE_CLASS).onElements("code")
          .requireRelsOnLinks("noopener")
          .toFactory();

  static boolean isAllowedCodeClass(String value) {
    return CODE_CLASS.matcher(value).matches();
  }

  public Result sanitise(String html) {
    List<String> removed = new ArrayList<>();
    String clean =
        POLICY.sanitize(
            html,
            new HtmlChangeListener<List<String>>() {
              @Override
              public void discardedTag(List<String> context, String elementName) {
                context.add("<" + elementName + ">");
              }

              @Override
              public void discardedAttributes(List<String> context, String tagName, String... attributeNames) {
                for (String a : attributeNames) {
                  context.add(a + " on <" + tagName + ">");
                }
              }
            },
            removed);
    return new Result(clean, List.copyOf(removed));
  }
}
