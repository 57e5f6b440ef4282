package dev.pressline.ingest.parse;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Slugs: lower-case ASCII letters, digits and single hyphens; always a safe URL path segment. */
public final class Slugs {

  private static final Pattern VALID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
  private static final int MAX = 80;

  private Slugs() {}

  /** The slug a title gives: "Don’t Panic – Really!" becomes {@code dont-panic-really}. */
  public static String fromTitle(String title) {
    String ascii =
        Normalizer.normalize(title, Normalizer.Form.NFKD)
            .replaceAll("\\p{M}+", "")
            .replace("ß", "ss")
            .replace("æ", "ae")
            .replace("ø", "o")
            .replace("œ", "oe")
            .replace("&", " and ");
    // apostrophes inside words vanish, so "Don’t" gives "dont", not "don-t"
    String slug =
        ascii.toLowerCase(Locale.ROOT)
            .replaceAll("(?<=\\p{L})['’‘`](?=\\p{L})", "")
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
    if (slug.length() > MAX) {
      int cut = slug.lastIndexOf('-', MAX);
      slug = slug.substring(0, cut > MAX / 2 ? cut : MAX).replaceAll("-+$", "");
    }
    return slug.isEmpty() ? "post" : slug;
  }

  /** A slug the editor asked for in front matter; refused if it is not a safe path segment. */
  static String checkRequested(String slug, int line) {
    if (!isValid(slug)) {
      throw new RejectedPostException(
          "The slug ‘" + slug + "’ may only contain lower-case letters a–z, digits and single hyphens, "
              + "like my-first-post (at most " + MAX + " characters).",
          line);
    }
    return slug;
  }

  public static boolean isValid(String slug) {
    return slug != null && slug.length() <= MAX && VALID.matcher(slug).matches();
  }
}
