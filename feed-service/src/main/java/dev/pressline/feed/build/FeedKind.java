package dev.pressline.feed.build;

/** The two feeds: every post, or only the episodes. */
public enum FeedKind {
  /** {@code /feed.xml}: every visible post with full content. */
  ARTICLES,
  /** {@code /podcast.xml}: posts with audio, with the tags podcast apps need. */
  PODCAST
}
