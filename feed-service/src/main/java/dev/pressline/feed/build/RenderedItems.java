package dev.pressline.feed.build;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each post's {@code <item>} XML per feed, as UTF-8 and deflated ({@link GzipParts}),
 * kept while the post's {@link PostView} is the same object ({@link PostViews} hands out a new one
 * exactly when the post changed). A new post then costs one item written with Rome and compressed,
 * not a whole page of them. Thread-safe: older pages are written on HTTP threads.
 */
final class RenderedItems {

  /**
   * One item as it appears inside any page of its feed (whole lines, UTF-8), and its deflated form
   * for the place it last had: compressed against the bytes before it, which change only when the
   * post before it does (a new post on top, one withdrawn).
   */
  static final class Item {
    private final PostView view;
    private final byte[] xml;
    private volatile Deflated deflated;

    private record Deflated(byte[] after, byte[] bytes) {}

    Item(PostView view, byte[] xml) {
      this.view = view;
      this.xml = xml;
    }

    PostView view() {
      return view;
    }

    byte[] xml() {
      return xml;
    }

    /** This item deflated to follow {@code preceding} (compared by identity). */
    byte[] deflatedAfter(byte[] preceding) {
      Deflated known = deflated;
      if (known != null && known.after() == preceding) {
        return known.bytes();
      }
      byte[] bytes = GzipParts.deflate(xml, preceding);
      deflated = new Deflated(preceding, bytes);
      return bytes;
    }
  }

  private record Key(FeedKind kind, String slug) {}

  private final Map<Key, Item> items = new ConcurrentHashMap<>();

  /** The remembered item of {@code view}, or null when it has not been written yet. */
  Item find(FeedKind kind, PostView view) {
    Item item = items.get(new Key(kind, view.slug()));
    return item != null && item.view() == view ? item : null;
  }

  void put(FeedKind kind, Item item) {
    items.put(new Key(kind, item.view().slug()), item);
  }

  /** Forgets the items of posts that are no longer among {@code slugs}. */
  void retainOnly(Set<String> slugs) {
    items.keySet().removeIf(key -> !slugs.contains(key.slug()));
  }

  int size() {
    return items.size();
  }
}
