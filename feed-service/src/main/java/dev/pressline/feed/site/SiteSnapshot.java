package dev.pressline.feed.site;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the site serves at one moment, immutable: readers take the current snapshot and never
 * see a half-built one. Pages of feeds are 1-based.
 *
 * @param feedPages pages of {@code /feed.xml}
 * @param podcastPages pages of {@code /podcast.xml}
 * @param indexPages the home page and the archive pages after it
 * @param posts post pages by slug
 * @param visibleSlugs the posts in the feeds, newest first
 */
public record SiteSnapshot(
    List<Representation> feedPages,
    List<Representation> podcastPages,
    List<Representation> indexPages,
    Map<String, Representation> posts,
    List<String> visibleSlugs) {

  public SiteSnapshot {
    feedPages = List.copyOf(feedPages);
    podcastPages = List.copyOf(podcastPages);
    indexPages = List.copyOf(indexPages);
    posts = Map.copyOf(posts);
    visibleSlugs = List.copyOf(visibleSlugs);
  }

  public Optional<Representation> feedPage(int page) {
    return page >= 1 && page <= feedPages.size() ? Optional.of(feedPages.get(page - 1)) : Optional.empty();
  }

  public Optional<Representation> podcastPage(int page) {
    return page >= 1 && page <= podcastPages.size()
        ? Optional.of(podcastPages.get(page - 1))
        : Optional.empty();
  }

  public Optional<Representation> indexPage(int page) {
    return page >= 1 && page <= indexPages.size() ? Optional.of(indexPages.get(page - 1)) : Optional.empty();
  }

  public Optional<Representation> post(String slug) {
    return Optional.ofNullable(posts.get(slug));
  }
}
