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
  private Map<PostView, Rendered> postPages = new IdentityHashMap<>();

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
  public SiteSnapshot build(
      List<PostEvent> visible, Instant lastModified, Instant episodesModified) {
    List<PostView> all = views.of(visible);
    List<PostView> episodes = all.stream().filter(v -> v.audioUrl() != null).toList();
    Map<PostView, Rendered> nextPages = new IdentityHashMap<>();
    Map<String, Rendered> bySlug = new HashMap<>();
    for (PostView view : all) {
      Rendered page = postPages.get(view);
      if (page == null) {
        page = new Rendered(() -> Representation.of(pages.post(view), HTML, view.changedAt()));
      }
      nextPages.put(view, page);
      bySlug.put(view.slug(), page);
    }
    postPages = nextPages;
    return new SiteSnapshot(
        paged(
            all,
            (slice, page, count) ->
                Representation.of(
                    feeds.write(FeedKind.ARTICLES, slice, page, count, lastModified),
                    RSS,
                    lastModified)),
        paged(
            episodes,
            (slice, page, count) ->
                Representation.of(
                    feeds.write(FeedKind.PODCAST, slice, page, count, episodesModified),
                    RSS,
                    episodesModified)),
        paged(
            all,
            (slice, page, count) ->
                Representation.of(pages.index(slice, page, count), HTML, lastModified)),
        bySlug,
        all.stream().map(PostView::slug).toList());
  }

  /** Renders one page of a paged document. */
  private interface PageMaker {
    Representation make(List<PostView> slice, int page, int pages);
  }

  /** The first page now (it is what nearly every client asks for), the others on first request. */
  private List<Rendered> paged(List<PostView> items, PageMaker maker) {
    int count = Math.max(1, (items.size() + pageSize - 1) / pageSize);
    List<Rendered> result = new ArrayList<>(count);
    for (int page = 1; page <= count; page++) {
      List<PostView> slice =
          List.copyOf(
              items.subList((page - 1) * pageSize, Math.min(items.size(), page * pageSize)));
      int number = page;
      result.add(
          page == 1
              ? Rendered.now(maker.make(slice, number, count))
              : new Rendered(() -> maker.make(slice, number, count)));
    }
    return result;
  }
}
