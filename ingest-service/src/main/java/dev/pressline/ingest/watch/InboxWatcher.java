package dev.pressline.ingest.watch;

import static java.util.Objects.requireNonNull;

import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.claim.InboxClaims;
import dev.pressline.ingest.parse.FileNames;
import dev.pressline.ingest.process.FileProcessor;
import dev.pressline.ingest.process.Outcome;
import dev.pressline.ingest.publish.PublishFailedException;
import dev.pressline.support.health.StallWatch;
import dev.pressline.support.lifecycle.PollingThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the inbox every poll interval and hands each complete post file to the
 * {@link FileProcessor}, oldest first, on one thread it owns.
 *
 * <p>Polling works on every file system, network shares included, where change notifications do not.
 * A file is complete when its size and modification time did not change between two looks and it was
 * last modified at least the settle time ago, and no process on this machine holds it open for
 * writing; a file renamed into the inbox in one step is therefore taken at the next look. Two things bring a look forward without changing that rule: a change
 * notification for the inbox folder (a file arrived), and the moment a file seen at the last look
 * reaches its settle time, so a fresh file is taken when it has settled, not up to a poll interval
 * later. Hidden files and partial downloads are never touched. While Kafka does not
 * acknowledge, files stay in the inbox and the watcher waits longer between attempts, up to a maximum.
 */
public final class InboxWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InboxWatcher.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  /**
   * Least time between a look and one brought forward by a change notification: moving thousands of
   * files in at once must not turn into thousands of looks at a growing folder.
   */
  private static final Duration NOTIFIED_GAP = Duration.ofMillis(25);
  /** How deep subfolders of the inbox are looked into. */
  private static final int MAX_DEPTH = 4;
  /** What the inbox thread does between looks, as its stall watch names it. */
  public static final String TAKING = "taking files from the inbox";

  private final IngestConfig config;
  private final FileProcessor processor;
  private final Clock clock;
  private final Map<Path, Seen> seen = new HashMap<>();
  private final Set<Path> waiting = new HashSet<>();
  /** Files left alone because a process still writes them, so the log says so once per file. */
  private final Set<Path> stillOpen = new HashSet<>();
  private final OpenForWriting openForWriting;
  private final InboxClaims claims;
  private final StallWatch watch;
  private final PollingThread thread;
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile InboxEvents events;
  /** When the earliest file seen but not yet complete reaches its settle time, or null. */
  private Instant nextSettled;
  private Duration backoff = FIRST_BACKOFF;
  private Instant pausedUntil = Instant.MIN;
  private volatile String kafkaProblem;

  /** What the last look saw of one file, and since when it has been complete. */
  private record Seen(long size, Instant modified, Instant completeSince) {}

  /**
   * @param watch told when a look at the inbox starts and when the thread waits for the next one; the
   *     processor's listener tells it of each file done with, so a long look that takes file after
   *     file is progress, and one file that never finishes shows on {@code /health/live}
   */
  public InboxWatcher(IngestConfig config, FileProcessor processor, Clock clock, StallWatch watch) {
    this(config, processor, clock, new OpenForWriting(), watch, InboxClaims.none(config.folders().inbox()));
  }

  /** @param claims how files are claimed when other instances share the inbox */
  public InboxWatcher(IngestConfig config, FileProcessor processor, Clock clock, StallWatch watch, InboxClaims claims) {
    this(config, processor, clock, new OpenForWriting(), watch, claims);
  }

  InboxWatcher(IngestConfig config, FileProcessor processor, Clock clock, OpenForWriting openForWriting,
      StallWatch watch) {
    this(config, processor, clock, openForWriting, watch, InboxClaims.none(config.folders().inbox()));
  }

  InboxWatcher(IngestConfig config, FileProcessor processor, Clock clock, OpenForWriting openForWriting,
      StallWatch watch, InboxClaims claims) {
    this.claims = requireNonNull(claims, "claims");
    this.openForWriting = requireNonNull(openForWriting, "openForWriting");
    this.watch = requireNonNull(watch, "watch");
    this.config = requireNonNull(config, "config");
    this.processor = requireNonNull(processor, "processor");
    this.clock = requireNonNull(clock, "clock");
    // a file being taken is finished before the thread stops: one large post may take a while
    this.thread = new PollingThread("ingest-inbox", "the inbox thread", Duration.ofSeconds(30), this::run);
    this.thread.wakeUpWith(() -> {
      stop.countDown();
      InboxEvents open = events;
      if (open != null) {
        open.close();
      }
    });
  }

  public InboxWatcher start() {
    events = InboxEvents.open(config.folders().inbox());
    thread.start();
    log.info("Watching {} for posts (.txt, .md)", config.folders().inbox().toAbsolutePath());
    return this;
  }

  /** Whether the inbox thread is alive: false once it has stopped, for good or by a fault that killed it. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  /** Why Kafka is not taking posts right now, or null when it is. */
  public String kafkaProblem() {
    return kafkaProblem;
  }

  /** Whether a name is never taken: hidden files, temporary files and partial downloads. */
  public static boolean isIgnored(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return name.startsWith(".")
        || name.endsWith("~")
        || lower.endsWith(".tmp")
        || lower.endsWith(".part")
        || lower.endsWith(".crdownload")
        || lower.endsWith(".partial")
        || lower.endsWith(".download")
        || lower.endsWith(".swp")
        || name.startsWith("~$");
  }

  private void run() {
    thread.markRunning();
    while (stop.getCount() > 0) {
      Instant lookedAt = clock.instant();
      watch.working(TAKING);
      try {
        scanOnce();
      } catch (UncheckedIOException | IllegalStateException e) {
        // the inbox may be briefly unreadable (a network share reconnecting): try again next time
        log.error("Could not look at the inbox {}: {}", config.folders().inbox(), e.getMessage(), e);
      } catch (RuntimeException e) {
        // a fault of ingest's own must not stop the inbox: it is logged and the next look goes ahead
        log.error("Unexpected failure while taking files from the inbox; carrying on", e);
      }
      watch.idle();
      try {
        if (!awaitNextLook(lookedAt)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Waits until the next look is due: one poll interval after the last, sooner when a file seen then
   * reaches its settle time or a file arrives.
   *
   * @return false once the watcher is stopped
   */
  private boolean awaitNextLook(Instant lookedAt) throws InterruptedException {
    Instant due = lookedAt.plus(config.pollInterval());
    if (nextSettled != null && nextSettled.isBefore(due)) {
      due = nextSettled;
    }
    Duration wait = Duration.between(clock.instant(), due);
    if (wait.isNegative() || wait.isZero()) {
      return stop.getCount() > 0;
    }
    boolean notified = events.await(wait);
    if (stop.getCount() == 0) {
      return false;
    }
    if (notified) {
      Duration gap = NOTIFIED_GAP.compareTo(config.pollInterval()) < 0 ? NOTIFIED_GAP : config.pollInterval();
      Duration sinceLook = Duration.between(lookedAt, clock.instant());
      if (sinceLook.compareTo(gap) < 0) {
        return !stop.await(gap.minus(sinceLook).toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    return true;
  }

  /** One look at the inbox: takes every file that is complete. */
  void scanOnce() {
    Instant now = clock.instant();
    nextSettled = null;
    if (now.isBefore(pausedUntil) || !claims.holdsLease()) {
      return;
    }
    List<Path> ready = new ArrayList<>();
    Map<Path, Seen> current = new HashMap<>();
    listInbox().forEach((path, attrs) -> {
      Instant modified = attrs.lastModifiedTime().toInstant();
      Seen before = seen.get(path);
      boolean unchanged = before != null && before.size() == attrs.size() && before.modified().equals(modified);
      boolean settled = !modified.plus(config.settleTime()).isAfter(now);
      Instant completeSince = unchanged && settled ? (before.completeSince() != null ? before.completeSince() : now) : null;
      current.put(path, new Seen(attrs.size(), modified, completeSince));
      if (completeSince != null) {
        ready.add(path);
      } else if (!settled) {
        // seen now, so at its settle time a look can take it: no need to wait for the next poll
        Instant settles = modified.plus(config.settleTime());
        nextSettled = nextSettled == null || settles.isBefore(nextSettled) ? settles : nextSettled;
      }
    });
    leaveOpenFiles(ready, current);
    seen.clear();
    seen.putAll(current);
    ready.sort(Comparator.comparing((Path p) -> current.get(p).modified()).thenComparing(Path::toString));
    List<FileProcessor.Ready> posts = new ArrayList<>();
    List<Path> media = new ArrayList<>();
    for (Path path : ready) {
      if (isMedia(path)) {
        media.add(path);
      } else {
        posts.add(new FileProcessor.Ready(path, current.get(path).completeSince()));
      }
    }
    Set<Path> present = new HashSet<>(current.keySet());
    if (claims.shared()) {
      posts = claimed(posts);
      posts.forEach(r -> present.add(InboxClaims.originalPath(config.folders().inbox(), r.file())));
    }
    waiting.retainAll(present);
    FileProcessor.Result result = processor.processAll(posts);
    claims.tidy();
    for (Outcome outcome : result.outcomes()) {
      Path path = config.folders().inbox().resolve(outcome.file());
      if (outcome.kind() != Outcome.Kind.WAITING) {
        seen.remove(path);
      } else if (waiting.add(path)) {
        log.info("{}: {}", outcome.file(), outcome.message());
      }
    }
    if (result.failure() != null) {
      kafkaFailed(result.failure());
      return;
    }
    boolean sent = result.outcomes().stream().anyMatch(o -> o.kind() == Outcome.Kind.PUBLISHED
        || o.kind() == Outcome.Kind.UPDATED || o.kind() == Outcome.Kind.RETRACTED);
    if (kafkaProblem != null && sent) {
      log.info("Kafka acknowledges posts again; the inbox flows");
      kafkaProblem = null;
    }
    backoff = FIRST_BACKOFF;
    // a named pipe, socket or device under an audio or image name is never a post's media: out at once
    for (Path path : List.copyOf(media)) {
      if (Files.exists(path) && !Files.isRegularFile(path)) {
        processor.settleOrphan(path);
        seen.remove(path);
        media.remove(path);
      }
    }
    // audio and images leave with their post; one that no post claimed in time is settled on its own
    if (!media.isEmpty() && posts.stream().noneMatch(r -> Files.exists(r.file(), LinkOption.NOFOLLOW_LINKS))) {
      for (Path path : media) {
        if (!current.get(path).completeSince().plus(config.orphanMediaWait()).isAfter(now)
            && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
          processor.settleOrphan(path);
          seen.remove(path);
        }
      }
    }
  }

  /**
   * With other instances on the inbox: claims the complete posts (media stay where they are and leave
   * with the post that names them), takes over claims of instances that stopped, and returns every
   * file this instance holds, the ones still waiting from earlier looks included.
   */
  private List<FileProcessor.Ready> claimed(List<FileProcessor.Ready> posts) {
    try {
      claims.takeOverAbandoned();
      Map<Path, Instant> complete = new LinkedHashMap<>();
      posts.forEach(r -> complete.put(r.file(), r.completeSince()));
      claims.claim(complete);
      List<FileProcessor.Ready> held = new ArrayList<>();
      for (InboxClaims.Held h : claims.held()) {
        held.add(new FileProcessor.Ready(h.file(), h.completeSince()));
      }
      return held;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim files in " + config.folders().inbox().resolve(InboxClaims.FOLDER), e);
    }
  }

  /**
   * Takes out of {@code ready} each file a process still holds open for writing: a copy that pauses
   * longer than the settle time (a slow share, a sync client) is not finished. Such a file counts as
   * not complete, so it is looked at again at the next look and taken once it is closed; a file
   * renamed into the inbox is open nowhere and costs no wait.
   */
  private void leaveOpenFiles(List<Path> ready, Map<Path, Seen> current) {
    Map<Path, OpenForWriting.Writer> open = openForWriting.amongst(ready);
    stillOpen.retainAll(open.keySet());
    open.forEach((path, writer) -> {
      ready.remove(path);
      Seen s = current.get(path);
      current.put(path, new Seen(s.size(), s.modified(), null));
      if (stillOpen.add(path)) {
        log.info("{}: still open for writing by {}; it is taken once it has been closed",
            config.folders().inbox().relativize(path), writer);
      }
    });
  }

  /**
   * Every file in the inbox and its subfolders (a folder per episode, say), without following links
   * to folders and without entering hidden folders or the processed, rejected and media folders
   * should they lie inside the inbox.
   */
  private Map<Path, BasicFileAttributes> listInbox() {
    Path inbox = config.folders().inbox();
    Set<Path> ownFolders = Set.of(
        config.folders().processed().toAbsolutePath().normalize(),
        config.folders().rejected().toAbsolutePath().normalize(),
        config.folders().media().toAbsolutePath().normalize());
    Map<Path, BasicFileAttributes> files = new HashMap<>();
    try {
      Files.walkFileTree(inbox, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          boolean skip = !dir.equals(inbox)
              && (isIgnored(dir.getFileName().toString()) || ownFolders.contains(dir.toAbsolutePath().normalize()));
          return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (!attrs.isDirectory() && !isIgnored(file.getFileName().toString())) {
            files.put(file, attrs);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          if (file.equals(inbox)) {
            throw new UncheckedIOException("cannot read the inbox folder " + inbox, e);
          }
          // a file deleted meanwhile, or a folder the service may not read: the rest still counts
          log.debug("Skipping {} in the inbox: {}", file, e.toString());
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the inbox folder " + inbox, e);
    }
    return files;
  }

  private static boolean isMedia(Path path) {
    return MEDIA.contains(FileNames.extension(path.getFileName().toString()));
  }

  /** Kafka did not acknowledge: everything waits, and the next attempt comes later each time. */
  private void kafkaFailed(PublishFailedException e) {
    kafkaProblem = e.getMessage();
    pausedUntil = clock.instant().plus(backoff);
    log.warn("{}. Files stay in the inbox; next try in {} ms.", e.getMessage(), backoff.toMillis());
    backoff = backoff.multipliedBy(2);
    if (backoff.compareTo(config.retryBackoffMax()) > 0) {
      backoff = config.retryBackoffMax();
    }
  }

  /** Extensions of files that come with a post and leave the inbox with it. */
  public static final Set<String> MEDIA = Set.of("mp3", "m4a", "jpg", "jpeg", "png", "gif", "webp");

  @Override
  public void close() {
    thread.close();
  }
}
