package dev.pressline.feed.site;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.PostEvent;
import dev.pressline.feed.build.FeedKind;
import dev.pressline.feed.build.FeedWriter;
import dev.pressline.feed.build.PostView;
import dev.pressline.feed.build.PostViews;
import dev.pressline.feed.web.PageRenderer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a complete {@link SiteSnapshot} from the visible posts: both feeds (paged), the home page
 * and every post page. A post page is rendered again only when its post changed. Not thread-safe:
 * one thread rebuilds the site.
 */
public final class SiteBuilder {

  static final String RSS = "application/rss+xml; charset=utf-8";
  static final String HTML = "text/html; charset=utf-8";

  private final PostViews views;
  private final FeedWriter feeds;
  private final PageRenderer pages;
  private final int pageSize;
  private Map<PostView, Representation> postPages = new IdentityHashMap<>();

  public SiteBuilder(PostViews views, FeedWriter feeds, PageRenderer pages, int pageSize) {
    this.views = requireNonNull(views, "views");
    this.feeds = requireNonNull(feeds, "feeds");
    this.pages = requireNonNull(pages, "pages");
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be at least 1");
    }
    this.pageSize = pageSize;
  }

  /**
   * @param visible posts to publish, newest first
   * @param lastModified when the catalogue last changed in a way readers see
   * @param episodesModified the same for episodes only: the podcast feed changes only with them
   */
  public SiteSnapshot build(List<PostEvent> visible, Instant lastModified, Instant episodesModified) {
    List<PostView> all = views.of(visible);
    List<PostView> episodes = all.stream().filter(v -> v.audioUrl() != null).toList();
    Map<PostView, Representation> nextPages = new IdentityHashMap<>();
    Map<String, Representation> bySlug = new HashMap<>();
    for (PostView view : all) {
      Representation page = postPages.get(view);
      if (page == null) {
        page = Representation.of(pages.post(view), HTML, view.changedAt());
      }
      nextPages.put(view, page);
      bySlug.put(view.slug(), page);
    }
    postPages = nextPages;
    return new SiteSnapshot(
        paged(FeedKind.ARTICLES, all, lastModified),
        paged(FeedKind.PODCAST, episodes, episodesModified),
        indexPages(all, lastModified),
        bySlug,
        all.stream().map(PostView::slug).toList());
  }

  private List<Representation> indexPages(List<PostView> all, Instant lastModified) {
    int count = pageCount(all.size());
    List<Representation> result = new ArrayList<>(count);
    for (int page = 1; page <= count; page++) {
      List<PostView> slice = all.subList((page - 1) * pageSize, Math.min(all.size(), page * pageSize));
      result.add(Representation.of(pages.index(slice, page, count), HTML, lastModified));
    }
    return result;
  }

  private int pageCount(int items) {
    return Math.max(1, (items + pageSize - 1) / pageSize);
  }

  private List<Representation> paged(FeedKind kind, List<PostView> items, Instant lastModified) {
    int count = pageCount(items.size());
    List<Representation> result = new ArrayList<>(count);
    for (int page = 1; page <= count; page++) {
      List<PostView> slice = items.subList((page - 1) * pageSize, Math.min(items.size(), page * pageSize));
      result.add(Representation.of(feeds.write(kind, slice, page, count, lastModified), RSS, lastModified));
    }
    return result;
  }
}
