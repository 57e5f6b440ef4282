package dev.pressline.ingest.check;

import dev.pressline.ingest.parse.ParsedPost;
import java.time.Instant;

/**
 * Plain HTML previews for editors: close to what email and archive page will show, without the
 * publisher's and feed's own templates (which live in those services).
 */
final class Previews {

  private Previews() {}

  static String email(ParsedPost post) {
    return page("Email preview: " + post.title(),
        "<div style=\"max-width:600px;margin:auto;font-family:Georgia,serif\">\n<p style=\"color:#666\">Subject: "
            + escape(post.title()) + "</p>\n<h1>" + escape(post.title()) + "</h1>\n" + post.html() + "</div>\n"
            + "<hr><h2>Plain-text part</h2>\n<pre style=\"white-space:pre-wrap\">" + escape(post.text()) + "</pre>\n");
  }

  static String page(ParsedPost post, Instant publishAt) {
    return page(post.title(),
        "<article style=\"max-width:700px;margin:auto;font-family:Georgia,serif\">\n<h1>" + escape(post.title())
            + "</h1>\n<p style=\"color:#666\">" + publishAt + (post.meta().author() == null ? "" : " · " + escape(post.meta().author()))
            + "</p>\n" + post.html() + "</article>\n");
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title></head>\n<body>\n" + body + "</body></html>\n";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
