package dev.pressline.ingest.parse;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * Reads a Markdown post: optional YAML front matter, then CommonMark. The title is front matter's
 * {@code title}, else a first heading, else a short first line; raw HTML is sanitised.
 */
public final class MarkdownParser {

  private final Parser parser = Parser.builder().build();
  // links and images with javascript: and other unsafe addresses lose them already here
  private final HtmlRenderer htmlRenderer =
      HtmlRenderer.builder()
          .sanitizeUrls(true)
          .attributeProviderFactory(context -> (node, tagName, attributes) -> {
            if (node instanceof Link) {
              attributes.put("rel", "noopener");
            }
            // a fence's info string becomes the code's class: keep only what the sanitiser would
            // keep, so the HTML is the same whether or not the post also holds raw HTML
            String codeClass = attributes.get("class");
            if (codeClass != null && !HtmlSanitiser.isAllowedCodeClass(codeClass)) {
              attributes.remove("class");
            }
          })
          .build();
  private final TextContentRenderer textRenderer = TextContentRenderer.builder().build();
  private final HtmlSanitiser sanitiser = new HtmlSanitiser();
  private final FrontMatterReader frontMatter;

  /** @param clock tells which front-matter dates lie too far ahead to be meant */
  public MarkdownParser(ZoneId zone, Clock clock) {
    this.frontMatter = new FrontMatterReader(zone, clock);
  }

  public ParsedPost parse(String text) {
    List<String> warnings = new ArrayList<>();
    String title = null;
    PostMeta meta = PostMeta.EMPTY;
    String body = text;
    int bodyFirstLine = 1;
    if (FrontMatterReader.hasFrontMatter(text)) {
      FrontMatterReader.Result fm = frontMatter.read(text);
      warnings.addAll(fm.warnings());
      title = fm.title();
      meta = fm.meta();
      body = text.substring(fm.bodyStart());
      bodyFirstLine = fm.bodyFirstLine();
    }
    if (TxtParser.isBlank(body) && title == null && !meta.retract()) {
      throw new RejectedPostException(
          TxtParser.isBlank(text) ? "The file has only blank lines: there is no title and no text." : "The post has no title and no text.");
    }

    Node document = parser.parse(body);
    if (title == null) {
      title = takeTitle(document, bodyFirstLine, meta.retract());
    }
    String html = htmlRenderer.render(document);
    // Markdown without raw HTML renders only safe tags with escaped text; the sanitiser (about 1.5 ms
    // for a long post) is needed only where the editor wrote HTML
    HtmlSanitiser.Result clean = hasRawHtml(document) ? sanitiser.sanitise(html) : new HtmlSanitiser.Result(html, List.of());
    if (!clean.removed().isEmpty()) {
      warnings.add(
          "Some HTML was removed because email and feed cannot carry it safely: "
              + String.join(", ", clean.removed().stream().distinct().toList()) + ".");
    }
    String plain = textRenderer.render(document).strip();
    String summary = meta.summary() != null ? meta.summary() : Titles.summary(firstParagraph(document), Titles.SUMMARY_LENGTH);
    if (summary.isEmpty() && !meta.retract() && plain.isEmpty()) {
      warnings.add("The post has a title but no text below it.");
    }
    return new ParsedPost(title, clean.html().strip() + (clean.html().isBlank() ? "" : "\n"), plain.isEmpty() ? "" : plain + "\n",
        summary, meta, warnings);
  }

  /** A first heading, or a short first paragraph line, becomes the title and leaves the body. */
  private String takeTitle(Node document, int bodyFirstLine, boolean retract) {
    Node first = document.getFirstChild();
    if (first instanceof Heading heading) {
      String title = Titles.checkTitle(textRenderer.render(heading).strip(), line(heading, bodyFirstLine));
      heading.unlink();
      return title;
    }
    if (first instanceof Paragraph paragraph) {
      String text = textRenderer.render(paragraph).strip();
      if (!text.contains("\n") && text.length() <= Titles.MAX_TITLE) {
        String title = Titles.checkTitle(text, line(paragraph, bodyFirstLine));
        paragraph.unlink();
        return title;
      }
    }
    if (retract) {
      return "";
    }
    throw new RejectedPostException(
        "The post has no title. Add `title: …` to the front matter, or start the text with a heading line such as `# My title`.",
        bodyFirstLine);
  }

  private static boolean hasRawHtml(Node document) {
    boolean[] found = {false};
    document.accept(new AbstractVisitor() {
      @Override
      public void visit(HtmlBlock htmlBlock) {
        found[0] = true;
      }

      @Override
      public void visit(HtmlInline htmlInline) {
        found[0] = true;
      }
    });
    return found[0];
  }

  private static int line(Node node, int bodyFirstLine) {
    var spans = node.getSourceSpans();
    return spans.isEmpty() ? bodyFirstLine : bodyFirstLine + spans.get(0).getLineIndex();
  }

  private String firstParagraph(Node document) {
    for (Node n = document.getFirstChild(); n != null; n = n.getNext()) {
      if (n instanceof Paragraph) {
        return textRenderer.render(n).replace('\n', ' ');
      }
    }
    return "";
  }
}
