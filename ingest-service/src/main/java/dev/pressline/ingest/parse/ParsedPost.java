package dev.pressline.ingest.parse;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A post file turned into what the catalogue needs: a single-line title, sanitised HTML, plain text
 * and a summary, plus the metadata the file carried and the warnings an editor should read.
 *
 * @param title single-line plain-text title
 * @param html sanitised HTML body
 * @param text plain-text body
 * @param summary plain-text summary
 * @param meta front matter or what the text revealed
 * @param warnings things the editor should know that did not stop the post
 */
public record ParsedPost(
    String title, String html, String text, String summary, PostMeta meta, List<String> warnings) {

  public ParsedPost {
    requireNonNull(title, "title");
    requireNonNull(html, "html");
    requireNonNull(text, "text");
    requireNonNull(summary, "summary");
    requireNonNull(meta, "meta");
    warnings = List.copyOf(warnings);
  }
}
