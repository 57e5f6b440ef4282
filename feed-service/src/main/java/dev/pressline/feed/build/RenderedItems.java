package dev.pressline.feed.build;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each post's {@code <item>} XML per feed, kept while the post's {@link PostView} is the same
 * object ({@link PostViews} hands out a new one exactly when the post changed). A new post then
 * costs one item written with Rome, not a whole page of them. Thread-safe: older pages are written
 * on HTTP threads.
 */
final class RenderedItems {

  private record Key(FeedKind kind, String slug) {}

  private record Item(PostView view, String xml) {}

  private final Map<Key, Item> items = new ConcurrentHashMap<>();

  /** The remembered item XML of {@code view}, or null when it has not been written yet. */
  String find(FeedKind kind, PostView view) {
    Item item = items.get(new Key(kind, view.slug()));
    return item != null && item.view() == view ? item.xml() : null;
  }

  void put(FeedKind kind, PostView view, String xml) {
    items.put(new Key(kind, view.slug()), new Item(view, xml));
  }

  /** Forgets the items of posts that are no longer among {@code slugs}. */
  void retainOnly(Set<String> slugs) {
    items.keySet().removeIf(key -> !slugs.contains(key.slug()));
  }

  int size() {
    return items.size();
  }
}
