package dev.pressline.ingest.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The body of a plain-text post as blocks, and its HTML and plain-text forms. */
final class TxtDocument {

  sealed interface Element permits Paragraph, Heading, ItemList, Rule {}

  record Paragraph(String text) implements Element {}

  record Heading(String text) implements Element {}

  record ItemList(boolean ordered, int start, List<String> items) implements Element {}

  record Rule() implements Element {}

  /** http(s) addresses, without trailing punctuation that ends the sentence around them. */
  private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"“”‘’]+[^\\s<>\"“”‘’.,;:!?)\\]]");

  private final List<Element> elements;

  TxtDocument(List<Element> elements) {
    this.elements = List.copyOf(elements);
  }

  List<Element> elements() {
    return elements;
  }

  /** The first ordinary paragraph, where summaries come from; empty if there is none. */
  String firstParagraph() {
    for (Element e : elements) {
      if (e instanceof Paragraph p) {
        return p.text();
      }
    }
    for (Element e : elements) {
      if (e instanceof ItemList l && !l.items().isEmpty()) {
        return String.join("; ", l.items());
      }
    }
    return "";
  }

  String html() {
    StringBuilder out = new StringBuilder();
    for (Element e : elements) {
      if (e instanceof Paragraph p) {
        out.append("<p>").append(linked(p.text())).append("</p>\n");
      } else if (e instanceof Heading h) {
        out.append("<h2>").append(escape(h.text())).append("</h2>\n");
      } else if (e instanceof ItemList l) {
        String tag = l.ordered() ? "ol" : "ul";
        out.append('<').append(tag);
        if (l.ordered() && l.start() != 1) {
          out.append(" start=\"").append(l.start()).append('"');
        }
        out.append(">\n");
        for (String item : l.items()) {
          out.append("<li>").append(linked(item)).append("</li>\n");
        }
        out.append("</").append(tag).append(">\n");
      } else {
        out.append("<hr>\n");
      }
    }
    return out.toString();
  }

  String text() {
    List<String> parts = new ArrayList<>();
    for (Element e : elements) {
      if (e instanceof Paragraph p) {
        parts.add(p.text());
      } else if (e instanceof Heading h) {
        parts.add(h.text());
      } else if (e instanceof ItemList l) {
        StringBuilder list = new StringBuilder();
        int n = l.start();
        for (String item : l.items()) {
          if (list.length() > 0) {
            list.append('\n');
          }
          list.append(l.ordered() ? (n++) + ". " : "• ").append(item);
        }
        parts.add(list.toString());
      } else {
        parts.add("* * *");
      }
    }
    return String.join("\n\n", parts) + (parts.isEmpty() ? "" : "\n");
  }

  /** Web addresses written out in the text become links; everything else is escaped. */
  static String linked(String s) {
    Matcher m = URL.matcher(s);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      String url = m.group();
      out.append(escape(s.substring(last, m.start())))
          .append("<a href=\"").append(escape(url)).append("\">").append(escape(url)).append("</a>");
      last = m.end();
    }
    return out.append(escape(s.substring(last))).toString();
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
