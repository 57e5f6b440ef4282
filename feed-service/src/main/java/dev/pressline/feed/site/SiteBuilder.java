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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a complete {@link SiteSnapshot} from the visible posts: both feeds (paged), the home page
 * and every post page. Only what nearly every client asks for is rendered at once (the first page
 * of each feed and the home page); the rest, and the post views behind it, on first request. So a
 * build costs the first pages, not the catalogue: the first build after reading 10,000 posts
 * sanitises the posts on those pages, not 10,000. A post page is rendered again only when its post
 * changed. Not thread-safe: one thread builds the site.
 */
public final class SiteBuilder {

  static final String RSS = "application/rss+xml; charset=utf-8";
  static final String HTML = "text/html; charset=utf-8";

  private final PostViews views;
  private final FeedWriter feeds;
  private final PageRenderer pages;
  private final int pageSize;
  private Map<String, PostPage> postPages = new HashMap<>();

  /** A post's page, rendered on first request, for the version of the post it was made from. */
  private record PostPage(PostEvent event, Rendered page) {}

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
    return build(visible, lastModified, episodesModified, Set.of());
  }

  /**
   * @param withheldMedia media keys of files only retracted posts use, no longer served
   */
  public SiteSnapshot build(
      List<PostEvent> visible,
      Instant lastModified,
      Instant episodesModified,
      Set<String> withheldMedia) {
    // a post is an episode when it has audio (its view then has an audio URL): no view needed
    List<PostEvent> episodes = visible.stream().filter(p -> p.audio() != null).toList();
    Map<String, PostPage> nextPages = new HashMap<>();
    Map<String, Rendered> bySlug = new HashMap<>();
    List<String> slugs = new ArrayList<>(visible.size());
    for (PostEvent post : visible) {
      PostPage page = postPages.get(post.slug());
      if (page == null || !page.event().equals(post)) {
        page = new PostPage(post, new Rendered(() -> postPage(post)));
      }
      nextPages.put(post.slug(), page);
      bySlug.put(post.slug(), page.page());
      slugs.add(post.slug());
    }
    postPages = nextPages;
    Set<String> visibleSlugs = new HashSet<>(slugs);
    views.retainOnly(visibleSlugs);
    feeds.retainOnly(visibleSlugs);
    return new SiteSnapshot(
        paged(
            visible,
            (slice, page, count) ->
                feed(feeds.writePage(FeedKind.ARTICLES, slice, page, count, lastModified),
                    lastModified)),
        paged(
            episodes,
            (slice, page, count) ->
                feed(feeds.writePage(FeedKind.PODCAST, slice, page, count, episodesModified),
                    episodesModified)),
        paged(
            visible,
            (slice, page, count) ->
                Representation.of(pages.index(slice, page, count), HTML, lastModified)),
        bySlug,
        slugs,
        withheldMedia);
  }

  private static Representation feed(FeedWriter.FeedPage page, Instant lastModified) {
    return Representation.of(page.body(), page.gzipped(), RSS, lastModified);
  }

  private Representation postPage(PostEvent post) {
    PostView view = views.viewOf(post);
    return Representation.of(pages.post(view), HTML, view.changedAt());
  }

  /** Renders one page of a paged document. */
  private interface PageMaker {
    Representation make(List<PostView> slice, int page, int pages);
  }

  /** The first page now (it is what nearly every client asks for), the others on first request. */
  private List<Rendered> paged(List<PostEvent> items, PageMaker maker) {
    int count = Math.max(1, (items.size() + pageSize - 1) / pageSize);
    List<Rendered> result = new ArrayList<>(count);
    for (int page = 1; page <= count; page++) {
      List<PostEvent> slice =
          List.copyOf(
              items.subList((page - 1) * pageSize, Math.min(items.size(), page * pageSize)));
      int number = page;
      result.add(
          page == 1
              ? Rendered.now(maker.make(views.viewsOf(slice), number, count))
              : new Rendered(() -> maker.make(views.viewsOf(slice), number, count)));
    }
    return result;
  }
}
