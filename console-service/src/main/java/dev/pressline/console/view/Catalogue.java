package dev.pressline.console.view;

import dev.pressline.events.PostEvent;
import dev.pressline.support.kafka.TopicFollower;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest event of every post, from the compacted {@code posts} topic. */
public final class Catalogue implements TopicFollower.Handler<PostEvent> {

  private final Map<String, PostEvent> bySlug = new ConcurrentHashMap<>();

  @Override
  public void onRecord(String key, PostEvent value) {
    if (value == null) {
      bySlug.remove(key);
    } else {
      bySlug.put(key, value);
    }
  }

  public Optional<PostEvent> get(String slug) {
    return Optional.ofNullable(bySlug.get(slug));
  }

  /** Newest first: by publish time, then by when ingest took it. */
  public List<PostEvent> newestFirst() {
    return bySlug.values().stream()
        .sorted(Comparator.comparing(PostEvent::publishAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(PostEvent::ingestedAt, Comparator.nullsLast(Comparator.reverseOrder())))
        .toList();
  }
}
