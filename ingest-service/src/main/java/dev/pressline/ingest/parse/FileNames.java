package dev.pressline.ingest.parse;

import java.util.Locale;

/** Names of files that a post refers to, which must stay beside the post in the inbox. */
public final class FileNames {

  private FileNames() {}

  /**
   * A file name from front matter, refused when it could reach outside the inbox: folders, {@code ..},
   * absolute paths, or characters file systems treat specially.
   */
  static String checkBeside(String name, String field, int line) {
    String n = name.strip();
    boolean bad =
        n.isEmpty()
            || n.contains("/")
            || n.contains("\\")
            || n.equals(".")
            || n.equals("..")
            || n.startsWith(".")
            || n.contains(":")
            || n.chars().anyMatch(Character::isISOControl);
    if (bad) {
      throw new RejectedPostException(
          "‘" + field + "’ must name a file lying beside the post in the inbox, like episode-12.mp3, "
              + "without folders; ‘" + name + "’ is not allowed.",
          line);
    }
    return n;
  }

  /** The part of {@code name} before its last dot. */
  public static String baseName(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** The lower-case extension without the dot, or an empty string. */
  public static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }
}
