package dev.pressline.publisher.catalogue;

import dev.pressline.events.PostEvent;
import dev.pressline.support.kafka.TopicFollower;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest state of every post, rebuilt from the compacted {@code posts} topic: what mailers render. */
public final class PostCatalogue implements TopicFollower.Handler<PostEvent> {

  private final Map<String, PostEvent> bySlug = new ConcurrentHashMap<>();
  private final Object changed = new Object();

  @Override
  public void onRecord(String key, PostEvent value) {
    if (value == null) {
      bySlug.remove(key);
    } else {
      bySlug.put(key, value);
    }
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  public int size() {
    return bySlug.size();
  }

  public Optional<PostEvent> get(String slug) {
    return Optional.ofNullable(bySlug.get(slug));
  }

  /**
   * The post with at least {@code revision}, waiting for it when a fan-out on another instance was
   * quicker than this instance's copy of the catalogue; empty on timeout.
   */
  public Optional<PostEvent> await(String slug, int revision, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changed) {
      while (true) {
        PostEvent post = bySlug.get(slug);
        if (post != null && post.revision() >= revision) {
          return Optional.of(post);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.ofNullable(post);
        }
        changed.wait(Math.max(1, left / 1_000_000));
      }
    }
  }
}
