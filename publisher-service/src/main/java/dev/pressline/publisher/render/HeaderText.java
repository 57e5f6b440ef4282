package dev.pressline.publisher.render;

/** Turns text from a post into something safe for one header line. */
final class HeaderText {

  private static final int MAX_SUBJECT = 200;

  private HeaderText() {}

  /**
   * Line breaks, tabs and control characters become single spaces; runs of space collapse.
   * Invisible formatting characters are dropped: bidi overrides, embeddings, isolates and marks
   * (U+202E turns "fdp.exe" into "exe.pdf" on screen) and zero-width characters, which hide or
   * reorder what a reader sees; a zero-width joiner inside an emoji sequence stays.
   */
  static String singleLine(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.getType(c) == Character.FORMAT && !joinsEmoji(text, i)) {
        continue;
      }
      // C0/C1 controls and the Unicode line/paragraph separators could split or smuggle a header
      boolean blank = Character.isWhitespace(c) || Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
      if (blank) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether the character at {@code i} is a zero-width joiner between two pictographs (👩‍💻). */
  private static boolean joinsEmoji(String text, int i) {
    if (text.charAt(i) != '\u200D' || i == 0 || i + 1 >= text.length()) {
      return false;
    }
    return isPictograph(Character.codePointBefore(text, i)) && isPictograph(Character.codePointAt(text, i + 1));
  }

  private static boolean isPictograph(int codePoint) {
    // emoji and the like are symbols outside the Basic Multilingual Plane or in its symbol blocks
    return Character.getType(codePoint) == Character.OTHER_SYMBOL;
  }

  /** A subject line: one line, at most 200 characters (cut at a word where possible). */
  static String subject(String title) {
    String line = singleLine(title);
    if (line.isEmpty()) {
      return "(no title)";
    }
    if (line.length() <= MAX_SUBJECT) {
      return line;
    }
    int cut = line.lastIndexOf(' ', MAX_SUBJECT - 1);
    return line.substring(0, cut > MAX_SUBJECT / 2 ? cut : MAX_SUBJECT - 1) + "…";
  }
}
