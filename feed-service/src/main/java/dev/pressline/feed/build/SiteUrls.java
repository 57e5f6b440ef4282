package dev.pressline.feed.build;

import static java.util.Objects.requireNonNull;

import dev.pressline.feed.media.MediaName;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The public addresses of everything feed-service serves, derived from one base URL so links in
 * feeds, pages and notifications always agree.
 */
public record SiteUrls(String base, String publisherBase) {

  /** Where the cover art made from the channel title is served. */
  public static final String COVER_PATH = "/cover.png";

  public SiteUrls {
    requireNonNull(base, "base");
    requireNonNull(publisherBase, "publisherBase");
    base = stripSlash(base);
    publisherBase = stripSlash(publisherBase);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public String home() {
    return base + "/";
  }

  /** Page {@code page} of the archive; page 1 is the home page. */
  public String archive(int page) {
    return page == 1 ? home() : home() + "?page=" + page;
  }

  public String feed() {
    return base + "/feed.xml";
  }

  public String podcast() {
    return base + "/podcast.xml";
  }

  /** Page {@code page} (1-based) of a paged feed whose first page is {@code firstPage}. */
  public String page(String firstPage, int page) {
    return page == 1 ? firstPage : firstPage + "?page=" + page;
  }

  public String post(String slug) {
    return base + "/posts/" + encode(slug);
  }

  /** A media file by its name in the store: the form of the first feeds, still served. */
  public String media(String fileName) {
    return base + "/media/" + encode(fileName);
  }

  /**
   * A media file of the post {@code slug} under a readable name, {@code
   * /media/<hash>/<slug>.<extension>}, so podcast apps save {@code <slug>.mp3} rather than a hash;
   * a stored name of another shape keeps the plain form.
   */
  public String media(String fileName, String slug) {
    MediaName name = MediaName.of(fileName);
    if (!name.isPlain()) {
      return media(fileName);
    }
    return base + "/media/" + name.key() + "/" + encode(name.readableName(slug));
  }

  /** The cover art made from the channel title when no image is configured. */
  public String cover() {
    return base + COVER_PATH;
  }

  public String subscribe() {
    return publisherBase + "/subscribe";
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
