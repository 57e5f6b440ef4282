package dev.pressline.feed.site;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.PostEvent;
import dev.pressline.feed.build.SiteUrls;
import dev.pressline.feed.catalog.Catalog;
import dev.pressline.feed.websub.HubNotifier;
import dev.pressline.support.health.StallWatch;
import dev.pressline.support.lifecycle.PollingThread;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the served {@link SiteSnapshot} in step with the catalogue on a thread of its own: it
 * rebuilds when a post event arrives and when a scheduled post's time comes (checked against the
 * injected clock at least once per {@code recheck}), and never while the catalogue is still being
 * read from the start of the topic. Changes that arrive together are built once.
 */
public final class SiteRefresher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SiteRefresher.class);

  private final Catalog catalog;
  private final SiteBuilder builder;
  private final Clock clock;
  private final HubNotifier hubs;
  private final SiteUrls urls;
  private final Duration recheck;
  private final StallWatch watch;
  private final Object lock = new Object();
  private final PollingThread thread;
  private boolean dirty;
  private boolean ready;
  // under the lock: a rebuild is running; the last one failed (the site lacks changes it cleared)
  private boolean building;
  private boolean stale;
  // the topic positions whose records are all in the catalogue, and those the served site includes
  private volatile Map<TopicPartition, Long> handed = Map.of();
  private Map<TopicPartition, Long> built = Map.of();
  private volatile SiteSnapshot current;
  private final AtomicLong builds = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile long lastBuildNanos;

  public SiteRefresher(
      Catalog catalog,
      SiteBuilder builder,
      Clock clock,
      HubNotifier hubs,
      SiteUrls urls,
      Duration recheck,
      StallWatch watch) {
    this.watch = requireNonNull(watch, "watch");
    this.catalog = requireNonNull(catalog, "catalog");
    this.builder = requireNonNull(builder, "builder");
    this.clock = requireNonNull(clock, "clock");
    this.hubs = requireNonNull(hubs, "hubs");
    this.urls = requireNonNull(urls, "urls");
    this.recheck = requireNonNull(recheck, "recheck");
    this.thread = new PollingThread("feed-site-refresher", "the refresher of the feeds and pages", Duration.ofSeconds(10), this::run);
    // the flag is read under the lock, so a close between the check and the wait is never missed
    this.thread.wakeUpWith(() -> {
      synchronized (lock) {
        lock.notifyAll();
      }
    });
  }

  public SiteRefresher start() {
    thread.start();
    return this;
  }

  /** Whether the refreshing thread is alive: false once closed or stopped by a fault. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  /** The site as last built, or null before the catalogue has caught up with the topic. */
  public SiteSnapshot current() {
    return current;
  }

  /** How often the site was built and how long the last build took, for /metrics. */
  public Stats stats() {
    return new Stats(builds.get(), failures.get(), lastBuildNanos / 1e9);
  }

  /**
   * @param builds successful rebuilds since start
   * @param failures rebuilds that failed (the previous site stayed online)
   * @param lastBuildSeconds duration of the latest successful rebuild
   */
  public record Stats(long builds, long failures, double lastBuildSeconds) {}

  /** A post event was applied to the catalogue. */
  public void catalogChanged() {
    synchronized (lock) {
      dirty = true;
      // while the topic is read from the start the build waits for caughtUp(): waking the
      // refresher for each of thousands of records would only cost two context switches each
      if (ready) {
        lock.notifyAll();
      }
    }
  }

  /**
   * The follower has put every record before these positions into the catalogue (and called
   * {@link #catalogChanged} for those that changed it) before it calls this.
   */
  public void positionsHanded(Map<TopicPartition, Long> positions) {
    handed = Map.copyOf(positions);
  }

  /**
   * The topic positions the served site includes: every record before them is in the feeds and pages
   * (or changed nothing). Empty before the first site is built. This is what the feed commits as its
   * progress, so its lag counts what readers cannot see yet.
   */
  public Map<TopicPartition, Long> appliedPositions() {
    // read before the check: a record handed before this line set dirty before it, so a clean state
    // below means a rebuild that started after it has finished
    Map<TopicPartition, Long> seen = handed;
    synchronized (lock) {
      return current != null && !dirty && !building && !stale ? seen : built;
    }
  }

  /** The catalogue holds everything the topic held at start: build the first site. */
  public void caughtUp() {
    synchronized (lock) {
      ready = true;
      dirty = true;
      lock.notifyAll();
    }
  }

  private void run() {
    thread.markRunning();
    Instant nextScheduled = null;
    while (true) {
      synchronized (lock) {
        while (!thread.isClosing() && !(ready && (dirty || isDue(nextScheduled)))) {
          try {
            lock.wait(waitMillis(nextScheduled));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (thread.isClosing()) {
          return;
        }
        dirty = false;
        building = true;
      }
      // everything handed before this point is in the catalogue the rebuild is about to read
      Map<TopicPartition, Long> including = handed;
      Instant now = clock.instant();
      long started = System.nanoTime();
      boolean done = false;
      try {
        watch.during("rebuilding the feeds and pages", () -> rebuild(now));
        builds.incrementAndGet();
        lastBuildNanos = System.nanoTime() - started;
        done = true;
      } catch (RuntimeException e) {
        // keep serving the last good site; the next change or tick tries again
        failures.incrementAndGet();
        log.error("Could not rebuild the feeds and pages; still serving the previous version", e);
      } finally {
        synchronized (lock) {
          building = false;
          stale = !done;
          if (done) {
            built = including;
          }
        }
      }
      nextScheduled = catalog.nextScheduledAfter(now).orElse(null);
    }
  }

  private boolean isDue(Instant nextScheduled) {
    return nextScheduled != null && !clock.instant().isBefore(nextScheduled);
  }

  private long waitMillis(Instant nextScheduled) {
    long max = recheck.toMillis();
    if (nextScheduled == null) {
      return max;
    }
    // a post scheduled for the year 999999999 is further away than a long holds in milliseconds
    Duration until = Duration.between(clock.instant(), nextScheduled);
    return until.compareTo(recheck) >= 0 ? max : Math.max(1, until.toMillis());
  }

  private void rebuild(Instant now) {
    List<PostEvent> visible = catalog.visibleAt(now);
    Instant lastModified = catalog.lastChangeAt(now, p -> true).orElse(Instant.EPOCH);
    Instant episodesModified = catalog.lastChangeAt(now, PostEvent::hasAudio).orElse(Instant.EPOCH);
    SiteSnapshot previous = current;
    SiteSnapshot next =
        builder.build(visible, lastModified, episodesModified, catalog.withheldMedia());
    current = next;
    report(previous, next);
    if (previous == null || !etag(previous.feedPage(1)).equals(etag(next.feedPage(1)))) {
      hubs.feedChanged(urls.feed());
    }
    if (previous == null || !etag(previous.podcastPage(1)).equals(etag(next.podcastPage(1)))) {
      hubs.feedChanged(urls.podcast());
    }
  }

  private static void report(SiteSnapshot previous, SiteSnapshot next) {
    if (previous == null) {
      log.info("Feeds and pages ready with {} published posts", next.visibleSlugs().size());
      return;
    }
    Set<String> before = new HashSet<>(previous.visibleSlugs());
    Set<String> after = new HashSet<>(next.visibleSlugs());
    for (String slug : next.visibleSlugs()) {
      if (!before.contains(slug)) {
        log.info("Post '{}' is now in the feeds and on the site", slug);
      } else if (!previous.samePost(next, slug)) {
        log.info("Post '{}' was updated in the feeds and on its page", slug);
      }
    }
    for (String slug : previous.visibleSlugs()) {
      if (!after.contains(slug)) {
        log.info("Post '{}' was withdrawn: removed from the feeds and the site", slug);
      }
    }
  }

  private static String etag(Optional<Representation> page) {
    return page.map(Representation::etag).orElse("");
  }

  @Override
  public void close() {
    thread.close();
  }
}
