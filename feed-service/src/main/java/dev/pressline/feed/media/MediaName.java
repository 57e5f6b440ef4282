package dev.pressline.feed.media;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A file of the content-addressed media store split into its key (the content hash) and its
 * extension, e.g. {@code 3f2a…9c} and {@code mp3} for {@code 3f2a…9c.mp3}. Transcripts share the key
 * of their audio ({@code 3f2a…9c.vtt}), so a key stands for an episode's files together.
 *
 * <p>Public URLs name the key and a readable file name, {@code /media/<key>/<slug>.<extension>},
 * so podcast apps save {@code <slug>.mp3} instead of a hash; {@link #fromUrlPath} turns such a path
 * back into the stored file.
 *
 * @param key the name before the last dot
 * @param extension the name after the last dot, empty when there is none
 */
public record MediaName(String key, String extension) {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9]{0,10}");

  public MediaName {
    requireNonNull(key, "key");
    requireNonNull(extension, "extension");
  }

  /** The parts of a stored file's name. */
  public static MediaName of(String storedName) {
    int dot = storedName.lastIndexOf('.');
    return dot > 0
        ? new MediaName(storedName.substring(0, dot), storedName.substring(dot + 1))
        : new MediaName(storedName, "");
  }

  /**
   * The stored file a public path inside {@code /media} names, or null when it names none: {@code
   * /<key>/<any name>.<extension>} (the readable form) or {@code /<stored name>} (the form of the
   * first feeds, which subscribers' apps still hold). The readable name must end with the stored
   * file's extension; the rest of it is only for people.
   */
  public static MediaName fromUrlPath(String path) {
    if (!path.startsWith("/")) {
      return null;
    }
    String rest = path.substring(1);
    int slash = rest.indexOf('/');
    if (slash < 0) {
      MediaName stored = of(rest);
      return stored.isPlain() ? stored : null;
    }
    String key = rest.substring(0, slash);
    String readable = rest.substring(slash + 1);
    if (readable.isEmpty() || readable.indexOf('/') >= 0) {
      return null;
    }
    int dot = readable.lastIndexOf('.');
    MediaName stored = new MediaName(key, dot >= 0 ? readable.substring(dot + 1) : "");
    return stored.isPlain() ? stored : null;
  }

  /** Whether the key and extension are the kind the store uses, safe in a URL and a path. */
  public boolean isPlain() {
    return KEY.matcher(key).matches() && EXTENSION.matcher(extension).matches();
  }

  /** The file's name in the store. */
  public String storedName() {
    return extension.isEmpty() ? key : key + "." + extension;
  }

  /** The readable last segment of a public URL: the slug with this file's extension. */
  public String readableName(String slug) {
    return extension.isEmpty() ? slug : slug + "." + extension;
  }
}
