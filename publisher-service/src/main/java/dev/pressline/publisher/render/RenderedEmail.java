package dev.pressline.publisher.render;

import static java.util.Objects.requireNonNull;

/**
 * The content of one email, before it becomes MIME.
 *
 * @param subject the subject line, already free of line breaks and control characters
 * @param html the HTML alternative
 * @param text the plain-text alternative with the same content
 */
public record RenderedEmail(String subject, String html, String text) {
  public RenderedEmail {
    requireNonNull(subject, "subject");
    requireNonNull(html, "html");
    requireNonNull(text, "text");
  }
}
