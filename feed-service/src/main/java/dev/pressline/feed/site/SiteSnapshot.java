package dev.pressline.feed.site;

import dev.pressline.feed.media.MediaName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the site serves at one moment, immutable: readers take the current snapshot and never
 * see a half-built one. The first page of each feed and the home page are built with the snapshot;
 * the other pages when first requested. Pages are 1-based.
 */
public final class SiteSnapshot {

  private final List<Rendered> feedPages;
  private final List<Rendered> podcastPages;
  private final List<Rendered> indexPages;
  private final Map<String, Rendered> posts;
  private final List<String> visibleSlugs;
  private final Set<String> withheldMedia;

  SiteSnapshot(
      List<Rendered> feedPages,
      List<Rendered> podcastPages,
      List<Rendered> indexPages,
      Map<String, Rendered> posts,
      List<String> visibleSlugs,
      Set<String> withheldMedia) {
    this.withheldMedia = Set.copyOf(withheldMedia);
    this.feedPages = List.copyOf(feedPages);
    this.podcastPages = List.copyOf(podcastPages);
    this.indexPages = List.copyOf(indexPages);
    this.posts = Map.copyOf(posts);
    this.visibleSlugs = List.copyOf(visibleSlugs);
  }

  public Optional<Representation> feedPage(int page) {
    return page(feedPages, page);
  }

  public Optional<Representation> podcastPage(int page) {
    return page(podcastPages, page);
  }

  public Optional<Representation> indexPage(int page) {
    return page(indexPages, page);
  }

  public Optional<Representation> post(String slug) {
    Rendered rendered = posts.get(slug);
    return rendered == null ? Optional.empty() : Optional.of(rendered.get());
  }

  /** The posts in the feeds, newest first. */
  public List<String> visibleSlugs() {
    return visibleSlugs;
  }

  /** Whether the media file is used only by retracted posts, so it is not served any more. */
  public boolean withholds(MediaName file) {
    return withheldMedia.contains(file.key());
  }

  /** Whether the post page of {@code slug} is the same rendering in both snapshots. */
  boolean samePost(SiteSnapshot other, String slug) {
    return posts.get(slug) == other.posts.get(slug);
  }

  private static Optional<Representation> page(List<Rendered> pages, int page) {
    return page >= 1 && page <= pages.size()
        ? Optional.of(pages.get(page - 1).get())
        : Optional.empty();
  }
}
