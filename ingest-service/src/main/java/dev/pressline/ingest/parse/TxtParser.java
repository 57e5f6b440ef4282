package dev.pressline.ingest.parse;

import dev.pressline.ingest.parse.TxtDocument.Element;
import dev.pressline.ingest.parse.TxtDocument.Heading;
import dev.pressline.ingest.parse.TxtDocument.ItemList;
import dev.pressline.ingest.parse.TxtDocument.Paragraph;
import dev.pressline.ingest.parse.TxtDocument.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a plain-text post as editors write them (see the design and README for the rules).
 *
 * <p>The first non-blank line is the title; blank lines separate paragraphs; lines starting with
 * {@code •}, {@code -} or {@code *} and a space are bullet items, {@code 1.} numbered items; a line
 * break inside a paragraph is a hard wrap, joined with a space, unless the line before ends a sentence
 * and the next starts a new one. Characters are kept exactly as written. On top of that it mends what
 * copying from a web page leaves behind: an image caption glued to the first word, a first line that
 * is a whole paragraph, and page furniture ("Share this article", "Show comments") at the end.
 */
public final class TxtParser {

  private static final Pattern BULLET = Pattern.compile("^[•◦▪●\\-*]\\s+(\\S.*)$");
  private static final Pattern NUMBERED = Pattern.compile("^(\\d{1,3})[.)]\\s+(\\S.*)$");
  /** Editors used to Markdown write "# Title" or underline the title with === even in a .txt file. */
  private static final Pattern MARKDOWN_HEADING = Pattern.compile("^#{1,6}\\s+");
  private static final Pattern UNDERLINE = Pattern.compile("^(=+|-+)$");
  private static final Pattern DASHED_HEADING = Pattern.compile("^-{2,}\\s*(\\S.*?)\\s*-{2,}$");
  /** A lower-case image caption glued to the capitalised first word: "couple on sofaRelationships". */
  private static final Pattern GLUED_CAPTION = Pattern.compile("^([a-z]+(?: [a-z]+){1,6})(\\p{Lu}\\p{Ll}+\\b)");
  private static final Pattern SENTENCE_CLOSE = Pattern.compile(".*[.!?…:][\"”’')\\]]*$");
  private static final Pattern HEADING_END = Pattern.compile(".*[.,;:!?…]$");
  private static final Pattern WRITTEN_BY = Pattern.compile("(?i)^written by\\s+([^,|/–—(]+)");
  /** Lines that web pages put around an article and editors copy along. */
  private static final Pattern FURNITURE =
      Pattern.compile(
          "(?i)^(share this (article|post|page|story)|show comments|leave a (comment|reply)|\\d+ comments?$"
              + "|comments$|find a (therapist|counsell?or|coach)|all (therapists|counsell?ors) are verified"
              + "|the views expressed in this (article|post)|written by |related (articles|posts)"
              + "|you (may|might) also like|about the author$|share on (facebook|twitter|linkedin)"
              + "|click to share|tweet this|print this (article|page)|subscribe to our newsletter"
              + "|filed under|posted in |tags: )");
  /** Furniture is only looked for among this many paragraphs at the end. */
  private static final int FURNITURE_WINDOW = 10;
  private static final int HEADING_MAX = 90;

  private record Line(int number, String text) {}

  private record Block(List<Line> lines) {
    Line first() {
      return lines.get(0);
    }

    boolean single() {
      return lines.size() == 1;
    }
  }

  public ParsedPost parse(String text) {
    List<String> warnings = new ArrayList<>();
    List<Block> blocks = blocks(text);
    if (blocks.isEmpty()) {
      throw new RejectedPostException("The file has only blank lines: there is no title and no text.");
    }
    mendGluedCaption(blocks, warnings);
    String author = cutFurniture(blocks, warnings);

    String title;
    Block first = underlinedTitle(blocks.get(0));
    blocks.set(0, first);
    String firstLine = MARKDOWN_HEADING.matcher(first.first().text().strip()).replaceFirst("");
    if (isTitleLike(firstLine)) {
      title = Titles.checkTitle(firstLine, first.first().number());
      blocks.set(0, new Block(first.lines().subList(1, first.lines().size())));
      if (blocks.get(0).lines().isEmpty()) {
        blocks.remove(0);
      }
    } else if (isListItem(firstLine) || isRule(firstLine) || !hasLetters(firstLine)) {
      throw new RejectedPostException(
          "The post has no title: the first line is "
              + (hasLetters(firstLine) ? "a list item" : "not words")
              + ". Put the title on the first line, followed by a blank line.",
          first.first().number());
    } else {
      title = titleForParagraph(blocks, warnings);
    }

    TxtDocument document = new TxtDocument(elements(blocks));
    if (document.elements().isEmpty()) {
      warnings.add("The post has a title but no text below it.");
    }
    String summary = Titles.summary(document.firstParagraph(), Titles.SUMMARY_LENGTH);
    PostMeta meta = author == null ? PostMeta.EMPTY : PostMeta.EMPTY.withAuthor(author);
    return new ParsedPost(title, document.html(), document.text(), summary, meta, warnings);
  }

  private static List<Block> blocks(String text) {
    List<Block> blocks = new ArrayList<>();
    List<Line> current = new ArrayList<>();
    String[] raw = text.split("\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String line = trimEnd(raw[i].replace('\t', ' '));
      if (i == 0 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
        line = line.substring(1);
      }
      if (isBlank(line)) {
        if (!current.isEmpty()) {
          blocks.add(new Block(current));
          current = new ArrayList<>();
        }
      } else {
        current.add(new Line(i + 1, line));
      }
    }
    if (!current.isEmpty()) {
      blocks.add(new Block(current));
    }
    return blocks;
  }

  /** A title underlined with {@code ===} or {@code ---} loses the underline. */
  private static Block underlinedTitle(Block first) {
    if (first.lines().size() >= 2 && UNDERLINE.matcher(first.lines().get(1).text().strip()).matches()) {
      List<Line> lines = new ArrayList<>(first.lines());
      lines.remove(1);
      return new Block(lines);
    }
    return first;
  }

  /** "couple on sofaRelationships are complex." becomes "Relationships are complex." */
  private static void mendGluedCaption(List<Block> blocks, List<String> warnings) {
    Block first = blocks.get(0);
    Line line = first.first();
    Matcher m = GLUED_CAPTION.matcher(line.text().strip());
    if (!m.find() || m.group(1).length() > 40) {
      return;
    }
    String mended = line.text().strip().substring(m.end(1));
    List<Line> lines = new ArrayList<>(first.lines());
    lines.set(0, new Line(line.number(), mended));
    blocks.set(0, new Block(lines));
    warnings.add(
        "Line " + line.number() + ": removed “" + m.group(1) + "” from the start: it looks like an image caption "
            + "glued to the first word “" + m.group(2) + "”.");
  }

  /** Cuts web-page furniture at the end; returns the author named by a "Written by" line, if any. */
  private static String cutFurniture(List<Block> blocks, List<String> warnings) {
    int from = -1;
    for (int i = Math.max(1, blocks.size() - FURNITURE_WINDOW); i < blocks.size(); i++) {
      if (FURNITURE.matcher(blocks.get(i).first().text().strip()).find()) {
        from = i;
        break;
      }
    }
    if (from < 0) {
      return null;
    }
    String author = null;
    int lines = 0;
    for (Block b : blocks.subList(from, blocks.size())) {
      for (Line l : b.lines()) {
        lines++;
        Matcher m = WRITTEN_BY.matcher(l.text().strip());
        if (author == null && m.find()) {
          author = m.group(1).strip();
        }
      }
    }
    Line start = blocks.get(from).first();
    warnings.add(
        "Line " + start.number() + ": left out " + lines + " line(s) at the end that look like web-page furniture, "
            + "starting with “" + Titles.cut(start.text(), 60) + "”.");
    blocks.subList(from, blocks.size()).clear();
    return author;
  }

  private static boolean isTitleLike(String line) {
    return hasLetters(line)
        && !isListItem(line)
        && !isRule(line)
        && line.length() <= Titles.MAX_TITLE
        && !(line.length() > 80 && Titles.hasSeveralSentences(line));
  }

  /**
   * The first line is a whole paragraph: take the title from a heading-like line just below it, or
   * from the paragraph's first sentence. The paragraph stays in the body.
   */
  private static String titleForParagraph(List<Block> blocks, List<String> warnings) {
    Line first = blocks.get(0).first();
    for (int i = 1; i < Math.min(blocks.size(), 4); i++) {
      Block b = blocks.get(i);
      if (b.single() && isHeadingLike(b.first().text().strip())) {
        String title = Titles.checkTitle(headingText(b.first().text().strip()), b.first().number());
        blocks.remove(i);
        warnings.add(
            "Line " + first.number() + ": the first line is a whole paragraph, so the title was taken from line "
                + b.first().number() + ". Put the title on the first line to choose it yourself.");
        return title;
      }
    }
    String title = Titles.checkTitle(Titles.firstSentenceOrCut(first.text().strip(), 90), first.number());
    warnings.add(
        "Line " + first.number() + ": the first line is a whole paragraph, so the title was made from its "
            + "first words. Put the title on the first line to choose it yourself.");
    return title;
  }

  private static List<Element> elements(List<Block> blocks) {
    List<Element> out = new ArrayList<>();
    for (int b = 0; b < blocks.size(); b++) {
      Block block = blocks.get(b);
      String only = block.first().text().strip();
      boolean last = b == blocks.size() - 1;
      if (block.single() && DASHED_HEADING.matcher(only).matches()) {
        out.add(new Heading(headingText(only)));
        continue;
      }
      if (block.single() && !last && isHeadingLike(only)) {
        out.add(new Heading(only));
        continue;
      }
      addBlock(block, out);
    }
    return out;
  }

  private static void addBlock(Block block, List<Element> out) {
    StringBuilder paragraph = null;
    String previous = null;
    List<String> items = null;
    boolean ordered = false;
    int start = 1;
    for (Line line : block.lines()) {
      String raw = line.text();
      String t = raw.strip();
      Matcher bullet = BULLET.matcher(t);
      Matcher numbered = NUMBERED.matcher(t);
      if (isRule(t)) {
        flush(out, paragraph, items, ordered, start);
        paragraph = null;
        items = null;
        out.add(new Rule());
      } else if (bullet.matches() || numbered.matches()) {
        boolean isOrdered = !bullet.matches();
        if (paragraph != null || items == null || ordered != isOrdered) {
          flush(out, paragraph, items, ordered, start);
          paragraph = null;
          items = new ArrayList<>();
          ordered = isOrdered;
          start = isOrdered ? Integer.parseInt(numbered.group(1)) : 1;
        }
        items.add(isOrdered ? numbered.group(2) : bullet.group(1));
      } else if (items != null && (raw.startsWith("  ") || startsLowerCase(t))) {
        // a wrapped list item: the next line is indented or carries on the sentence
        int lastItem = items.size() - 1;
        items.set(lastItem, items.get(lastItem) + " " + t);
      } else {
        if (items != null) {
          flush(out, null, items, ordered, start);
          items = null;
        }
        if (paragraph != null && !joins(previous, t)) {
          out.add(new Paragraph(paragraph.toString()));
          paragraph = null;
        }
        paragraph = paragraph == null ? new StringBuilder(t) : paragraph.append(' ').append(t);
      }
      previous = t;
    }
    flush(out, paragraph, items, ordered, start);
  }

  private static void flush(List<Element> out, StringBuilder paragraph, List<String> items, boolean ordered, int start) {
    if (paragraph != null) {
      out.add(new Paragraph(paragraph.toString()));
    }
    if (items != null && !items.isEmpty()) {
      out.add(new ItemList(ordered, start, items));
    }
  }

  /**
   * Whether a line break between {@code previous} and {@code next} is a hard wrap inside one paragraph
   * (joined with a space) rather than the start of a new paragraph.
   */
  private static boolean joins(String previous, String next) {
    if (startsLowerCase(next)) {
      return true;
    }
    return !SENTENCE_CLOSE.matcher(previous).matches();
  }

  private static boolean isHeadingLike(String line) {
    if (DASHED_HEADING.matcher(line).matches()) {
      return true;
    }
    if (line.length() > HEADING_MAX || !hasLetters(line) || isListItem(line) || isRule(line)) {
      return false;
    }
    int first = line.codePointAt(0);
    return (Character.isUpperCase(first) || Character.isDigit(first) || first == '“' || first == '"')
        && !HEADING_END.matcher(line).matches()
        && !Titles.hasSeveralSentences(line);
  }

  private static String headingText(String line) {
    Matcher m = DASHED_HEADING.matcher(line);
    return m.matches() ? m.group(1) : line;
  }

  /**
   * A separator line: three or more of one of {@code * - _ = ~}, spaces allowed between them. Checked
   * without a regular expression, whose group repetition would overflow the stack on a long line.
   */
  static boolean isRule(String line) {
    char mark = 0;
    int marks = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t') {
        continue;
      }
      if ("*-_=~".indexOf(c) < 0 || (mark != 0 && c != mark)) {
        return false;
      }
      mark = c;
      marks++;
    }
    return marks >= 3;
  }

  private static boolean isListItem(String line) {
    return BULLET.matcher(line).matches() || NUMBERED.matcher(line).matches();
  }

  private static boolean startsLowerCase(String s) {
    return !s.isEmpty() && Character.isLowerCase(s.codePointAt(0));
  }

  private static boolean hasLetters(String s) {
    return s.codePoints().anyMatch(Character::isLetterOrDigit);
  }

  /** Blank means nothing but spaces, including no-break and zero-width spaces. */
  static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isSpace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F' || c == '\u200B' || c == '\uFEFF';
  }

  /** Trailing spaces of any kind carry nothing at the end of a line. */
  static String trimEnd(String s) {
    int end = s.length();
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

}
