package dev.pressline.publisher.render;

/** Turns text from a post into something safe for one header line. */
final class HeaderText {

  private static final int MAX_SUBJECT = 200;

  private HeaderText() {}

  /** Line breaks, tabs and control characters become single spaces; runs of space collapse. */
  static String singleLine(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
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
