package dev.pressline.bench.jmh;

import dev.pressline.bench.content.SamplePosts;
import dev.pressline.events.PostEvent;
import dev.pressline.feed.FeedConfig;
import dev.pressline.feed.build.FeedKind;
import dev.pressline.feed.build.FeedWriter;
import dev.pressline.feed.build.PostView;
import dev.pressline.feed.build.PostViews;
import dev.pressline.feed.build.SafeHtml;
import dev.pressline.feed.podcastindex.PodcastGuid;
import dev.pressline.feed.site.SiteBuilder;
import dev.pressline.feed.site.SiteSnapshot;
import dev.pressline.feed.web.PageRenderer;
import dev.pressline.support.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * feed-service's hot path on every change of the catalogue (and once at start): turning the posts
 * into views and the feed bytes. {@code feedXml} writes the first {@code /feed.xml} page;
 * {@code rebuildSite} is the whole rebuild the refresher does after each post event;
 * {@code firstBuild} is the build at start-up, by a builder that has seen nothing yet.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FeedBuildingBenchmark {

  @Param({"100", "10000"})
  public int posts;

  private FeedConfig config;
  private UUID guid;
  private PageRenderer pages;
  private SiteBuilder builder;
  private FeedWriter writer;
  private PostViews views;
  private List<PostEvent> events;
  private List<PostView> firstPage;
  private Instant now;

  @Setup
  public void setUp() {
    SamplePosts samples = BenchSeeds.load();
    Path media;
    try {
      media = Files.createTempDirectory("bench-media");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config = FeedConfig.from(Settings.of(Map.of(FeedConfig.MEDIA_DIR, media.toString())));
    guid = PodcastGuid.forFeedUrl(config.urls().podcast());
    views = new PostViews(config.urls(), new SafeHtml(), config.mediaDir(), guid);
    writer = new FeedWriter(config.channel(), config.urls(), guid.toString(), List.of());
    pages = new PageRenderer(config.channel(), config.urls());
    builder = new SiteBuilder(views, writer, pages, config.pageSize());
    now = Instant.now();
    events = new ArrayList<>();
    for (int i = posts - 1; i >= 0; i--) {
      // newest first, as the catalogue hands them over
      events.add(samples.event(i, "bench-feed-" + i, now.minus(Duration.ofHours(posts - i))));
    }
    firstPage = views.of(events.subList(0, Math.min(config.pageSize(), events.size())));
  }

  @Benchmark
  public byte[] feedXml() {
    int pages = (posts + 99) / 100;
    return writer.write(FeedKind.ARTICLES, firstPage, 1, pages, now);
  }

  @Benchmark
  public List<PostView> postViews() {
    return views.of(events);
  }

  @Benchmark
  public SiteSnapshot rebuildSite() {
    return builder.build(events, now, now);
  }

  @Benchmark
  public SiteSnapshot firstBuild() {
    // nothing remembered: what feed-service does once it has read the topic at start
    SiteBuilder fresh = new SiteBuilder(
        new PostViews(config.urls(), new SafeHtml(), config.mediaDir(), guid),
        new FeedWriter(config.channel(), config.urls(), guid.toString(), List.of()),
        pages, config.pageSize());
    return fresh.build(events, now, now);
  }
}
