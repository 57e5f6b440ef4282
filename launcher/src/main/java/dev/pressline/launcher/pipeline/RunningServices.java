package dev.pressline.launcher.pipeline;

import dev.pressline.feed.FeedConfig;
import dev.pressline.feed.FeedService;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.IngestService;
import dev.pressline.publisher.PublisherConfig;
import dev.pressline.publisher.PublisherService;
import dev.pressline.support.config.Settings;

/**
 * The three services started side by side in this JVM from one set of settings. They still talk only
 * through Kafka and the media folder, exactly as when each runs as its own process.
 */
public final class RunningServices implements AutoCloseable {

  private final FeedService feed;
  private final PublisherService publisher;
  private final IngestService ingest;

  private RunningServices(FeedService feed, PublisherService publisher, IngestService ingest) {
    this.feed = feed;
    this.publisher = publisher;
    this.ingest = ingest;
  }

  /** Starts feed and publisher first, so the first post dropped meets readers ready for it. */
  public static RunningServices start(Settings settings) {
    FeedService feed = FeedService.start(FeedConfig.from(settings));
    try {
      PublisherService publisher = PublisherService.start(PublisherConfig.from(settings));
      try {
        IngestService ingest = IngestService.start(IngestConfig.from(settings));
        return new RunningServices(feed, publisher, ingest);
      } catch (RuntimeException e) {
        publisher.close();
        throw e;
      }
    } catch (RuntimeException e) {
      feed.close();
      throw e;
    }
  }

  public FeedService feed() {
    return feed;
  }

  public PublisherService publisher() {
    return publisher;
  }

  public IngestService ingest() {
    return ingest;
  }

  /** Stops ingest first so no new post arrives while the readers shut down. */
  @Override
  public void close() {
    ingest.close();
    publisher.close();
    feed.close();
  }
}
