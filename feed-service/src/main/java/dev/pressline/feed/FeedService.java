package dev.pressline.feed;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.EventJson;
import dev.pressline.events.PostEvent;
import dev.pressline.feed.build.ChannelInfo;
import dev.pressline.feed.build.FeedWriter;
import dev.pressline.feed.build.PostViews;
import dev.pressline.feed.build.SafeHtml;
import dev.pressline.feed.build.SiteUrls;
import dev.pressline.feed.catalog.Catalog;
import dev.pressline.feed.catalog.PostIntake;
import dev.pressline.feed.cover.CoverArt;
import dev.pressline.feed.http.FeedHttpServer;
import dev.pressline.feed.http.MediaGate;
import dev.pressline.feed.http.SiteHandler;
import dev.pressline.feed.podcastindex.PodcastGuid;
import dev.pressline.feed.site.Representation;
import dev.pressline.feed.site.SiteBuilder;
import dev.pressline.feed.site.SiteRefresher;
import dev.pressline.feed.site.SiteSnapshot;
import dev.pressline.feed.web.PageRenderer;
import dev.pressline.feed.websub.HubNotifier;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.health.Liveness;
import dev.pressline.support.health.StallWatch;
import dev.pressline.support.kafka.TopicFollower;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.metrics.ServiceMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * feed-service running: follows the posts topic into a catalogue, keeps the feeds and pages built
 * from it, and serves them over HTTP. Several instances may run in one JVM; nothing is global.
 */
public final class FeedService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FeedService.class);

  private final FeedConfig config;
  private final TopicFollower<PostEvent> follower;
  private final SiteRefresher refresher;
  private final FeedHttpServer http;
  private final ServiceMetrics metrics;
  private final AtomicBoolean closed = new AtomicBoolean();

  private FeedService(
      FeedConfig config,
      TopicFollower<PostEvent> follower,
      SiteRefresher refresher,
      FeedHttpServer http,
      ServiceMetrics metrics) {
    this.config = config;
    this.follower = follower;
    this.refresher = refresher;
    this.http = http;
    this.metrics = metrics;
  }

  /** Starts with the system clock. */
  public static FeedService start(FeedConfig config) {
    return start(config, Clock.systemUTC());
  }

  /**
   * Creates the topics if needed, starts following the posts topic and serving HTTP, and returns
   * once the server listens. {@code /health} answers 200 once the catalogue has caught up.
   */
  public static FeedService start(FeedConfig config, Clock clock) {
    requireNonNull(config, "config");
    requireNonNull(clock, "clock");
    new TopicSetup(config.kafka()).ensureTopics();
    try {
      Files.createDirectories(config.mediaDir());
    } catch (IOException e) {
      throw new FeedException(
          "cannot create the media folder " + config.mediaDir().toAbsolutePath(), e);
    }
    UUID podcastGuid =
        config.channel().podcastGuid() != null
            ? UUID.fromString(config.channel().podcastGuid())
            : PodcastGuid.forFeedUrl(config.urls().podcast());
    ChannelInfo channel = config.channel();
    Map<String, Representation> files = Map.of();
    if (channel.imageUrl().isEmpty()) {
      // Apple refuses a show without cover art: make one from the title, served at a fixed URL
      channel = channel.withImageUrl(config.urls().cover());
      files =
          Map.of(
              SiteUrls.COVER_PATH,
              Representation.of(new CoverArt().png(channel.title()), "image/png", Instant.EPOCH));
    }
    PageRenderer pages = new PageRenderer(channel, config.urls());
    SiteBuilder builder =
        new SiteBuilder(
            new PostViews(config.urls(), new SafeHtml(), config.mediaDir(), podcastGuid),
            new FeedWriter(
                channel,
                config.urls(),
                podcastGuid.toString(),
                config.websubHubs().stream().map(URI::toString).toList()),
            pages,
            config.pageSize());
    Catalog catalog = new Catalog();
    StallWatch refresherWatch = new StallWatch("the site refresher", clock, config.stallLimit());
    StallWatch followerWatch = new StallWatch("the posts follower", clock, config.stallLimit());
    SiteRefresher refresher =
        new SiteRefresher(
            catalog,
            builder,
            clock,
            new HubNotifier(config.websubHubs()),
            config.urls(),
            Duration.ofSeconds(1),
            refresherWatch);
    AtomicLong records = new AtomicLong();
    PostIntake intake = new PostIntake(catalog);
    EventJson json = new EventJson();
    TopicFollower<PostEvent> follower =
        new TopicFollower<>(
            config.kafka(),
            config.kafka().topics().posts(),
            intake.counting(JsonSerde.deserializer(json, PostEvent.class)),
            new TopicFollower.Handler<>() {
              @Override
              public void onRecord(String slug, PostEvent event) {
                records.incrementAndGet();
                if (!intake.accept(slug, event)) {
                  return;
                }
                refresher.catalogChanged();
                // during the initial read the summary line below says enough
                if (refresher.current() != null) {
                  logEvent(slug, event);
                }
              }

              @Override
              public void onCaughtUp() {
                log.info("Read the whole posts topic: {} posts in the catalogue", catalog.size());
                refresher.caughtUp();
              }

              @Override
              public void onPositions(Map<TopicPartition, Long> positions) {
                refresher.positionsHanded(positions);
              }
            },
            followerWatch,
            // what the served site includes, committed without joining so the lag shows in the
            // standard tools and on the console; once a second at most, never per record
            new TopicFollower.Commits(
                config.progressGroup(), refresher::appliedPositions, Duration.ofSeconds(1)));
    Liveness liveness =
        new Liveness(
            List.of(
                new Liveness.Part("the posts follower", follower::isRunning, followerWatch),
                new Liveness.Part("the site refresher", refresher::isRunning, refresherWatch)));
    ServiceMetrics metrics = metrics(catalog, refresher, records, intake);
    FeedHttpServer http = null;
    try {
      refresher.start();
      follower.start();
      String origin = originOf(config.urls().subscribe());
      http =
          new FeedHttpServer(
                  config.http(),
                  config.port(),
                  config.mediaDir(),
                  new SiteHandler(
                      refresher::current,
                      pages.notFound(),
                      config.cacheMaxAge(),
                      origin,
                      metrics::scrape,
                      liveness::problem,
                      files),
                  file -> {
                    SiteSnapshot site = refresher.current();
                    if (site == null) {
                      return MediaGate.Access.LOADING;
                    }
                    return site.withholds(file) ? MediaGate.Access.WITHHELD : MediaGate.Access.SERVE;
                  })
              .start();
    } catch (RuntimeException e) {
      follower.close();
      refresher.close();
      metrics.close();
      throw e;
    }
    return new FeedService(config, follower, refresher, http, metrics);
  }

  /** The feed's figures, beside the JVM's, in the service's registry. */
  private static ServiceMetrics metrics(
      Catalog catalog, SiteRefresher refresher, AtomicLong records, PostIntake intake) {
    ServiceMetrics metrics = new ServiceMetrics("feed-service");
    MeterRegistry registry = metrics.registry();
    Gauge.builder("feed.ready", refresher, r -> r.current() == null ? 0 : 1)
        .description("1 once the posts topic has been read and the site is built")
        .register(registry);
    Gauge.builder("feed.posts.visible", refresher,
            r -> r.current() == null ? 0 : r.current().visibleSlugs().size())
        .description("posts in the feeds now")
        .register(registry);
    Gauge.builder("feed.catalogue.posts", catalog, Catalog::size)
        .description("slugs in the catalogue, including scheduled and retracted posts")
        .register(registry);
    FunctionCounter.builder("feed.post.events", records, AtomicLong::get)
        .description("post events read from the posts topic")
        .register(registry);
    FunctionCounter.builder("feed.post.events.skipped", intake, PostIntake::skipped)
        .description("post events the feed cannot publish (bad dates, key not the slug), skipped")
        .register(registry);
    FunctionCounter.builder("feed.site.builds", refresher, r -> r.stats().builds())
        .description("times the feeds and pages were rebuilt")
        .register(registry);
    FunctionCounter.builder("feed.site.build.failures", refresher, r -> r.stats().failures())
        .description("rebuilds that failed; the previous site stayed online")
        .register(registry);
    Gauge.builder("feed.site.last.build.seconds", refresher, r -> r.stats().lastBuildSeconds())
        .description("how long the latest rebuild took")
        .register(registry);
    return metrics;
  }

  private static void logEvent(String slug, PostEvent event) {
    if (event == null) {
      log.info("Post '{}' was deleted from the catalogue", slug);
    } else {
      log.info(
          "Received {} of post '{}' (revision {}, publish at {})",
          event.change().name().toLowerCase(Locale.ROOT),
          slug,
          event.revision(),
          event.publishAt());
    }
  }

  private static String originOf(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  /** The HTTP port in use (the chosen free port when the setting was 0). */
  public int httpPort() {
    return http.port();
  }

  /** The address of the site, with the actual port, for start-up messages and tests. */
  public String localUrl() {
    return "http://localhost:" + httpPort();
  }

  public FeedConfig config() {
    return config;
  }

  /** Whether the catalogue has caught up with the posts topic and the site is built. */
  public boolean isReady() {
    return refresher.current() != null;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    int port = http.port();
    try {
      http.close();
    } finally {
      follower.close();
      refresher.close();
      metrics.close();
      log.info("feed-service on port {} stopped", port);
    }
  }
}
