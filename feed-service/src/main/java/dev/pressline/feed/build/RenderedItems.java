package dev.pressline.feed.build;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each post's {@code <item>} XML per feed, as UTF-8 and deflated on its own ({@link GzipParts}),
 * kept while the post's {@link PostView} is the same object ({@link PostViews} hands out a new one
 * exactly when the post changed). A new post then costs one item written with Rome and compressed,
 * not a whole page of them. Thread-safe: older pages are written on HTTP threads.
 */
final class RenderedItems {

  /** One item as it appears inside any page of its feed, whole lines, and its deflated form. */
  record Item(PostView view, byte[] xml, byte[] deflated) {}

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
