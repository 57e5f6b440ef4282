package dev.pressline.ingest.parse;

import java.util.regex.Pattern;

/** Rules shared by both formats for titles and summaries: single lines of sensible length. */
final class Titles {

  /** A title longer than this is a paragraph, not a title. */
  static final int MAX_TITLE = 150;
  /** Summaries are cut near this length, at a sentence or word boundary. */
  static final int SUMMARY_LENGTH = 200;

  private static final Pattern BLANKS = Pattern.compile("[\\s\\p{Cc}\\u2028\\u2029]+");
  private static final Pattern SENTENCE_END = Pattern.compile("([.!?…]+[\"”’')\\]]*)\\s+(?=[\\p{Lu}\"“‘(])");

  private Titles() {}

  /**
   * Rejects a title that would break a mail header or a feed: line breaks or control characters.
   * {@code line} says where the title came from, 0 if unknown.
   */
  static String checkTitle(String title, int line) {
    for (int i = 0; i < title.length(); i++) {
      char c = title.charAt(i);
      if (c == '\n' || c == '\r') {
        throw new RejectedPostException(
            "The title runs over several lines. A title must be one line (it becomes the email subject).", line);
      }
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        throw new RejectedPostException(
            "The title contains an invisible control character (code " + (int) c
                + "), which would break the email subject. Retype the title.", line);
      }
    }
    String trimmed = collapseSpaces(title);
    if (trimmed.isEmpty() || trimmed.codePoints().noneMatch(Character::isLetterOrDigit)) {
      throw new RejectedPostException("The post has no title. Put the title on the first line.", line);
    }
    if (trimmed.length() > MAX_TITLE) {
      throw new RejectedPostException(
          "The title is " + trimmed.length() + " characters long; keep it under " + MAX_TITLE + ".", line);
    }
    return trimmed;
  }

  /** Whether {@code line} holds more than one sentence. */
  static boolean hasSeveralSentences(String line) {
    return SENTENCE_END.matcher(line).find();
  }

  /** The first sentence of {@code paragraph}, or a word-boundary cut near {@code limit}. */
  static String firstSentenceOrCut(String paragraph, int limit) {
    var m = SENTENCE_END.matcher(paragraph);
    if (m.find() && m.end(1) <= limit) {
      String sentence = paragraph.substring(0, m.end(1)).strip();
      return sentence.endsWith(".") && !sentence.endsWith("..") ? sentence.substring(0, sentence.length() - 1) : sentence;
    }
    return cut(paragraph, limit);
  }

  /** {@code text} cut at a sentence end (if one is near) or a word boundary, at most {@code limit}. */
  static String summary(String text, int limit) {
    String t = collapseSpaces(text);
    if (t.length() <= limit) {
      return t;
    }
    var m = SENTENCE_END.matcher(t);
    int best = -1;
    while (m.find() && m.end(1) <= limit) {
      best = m.end(1);
    }
    if (best >= limit / 3) {
      return t.substring(0, best).strip();
    }
    return cut(t, limit);
  }

  static String cut(String text, int limit) {
    String t = collapseSpaces(text);
    if (t.length() <= limit) {
      return t;
    }
    int space = t.lastIndexOf(' ', limit - 1);
    String head = space > limit / 2 ? t.substring(0, space) : t.substring(0, limit - 1);
    return head.replaceAll("[\\s,;:–—-]+$", "") + "…";
  }

  /**
   * One line with single spaces: runs of spaces, tabs, line breaks (CR, LF, NEL, U+2028/9) and other
   * control characters become one space. A summary is a mail preheader and a feed description.
   */
  static String collapseSpaces(String s) {
    return BLANKS.matcher(s).replaceAll(" ").strip();
  }
}
