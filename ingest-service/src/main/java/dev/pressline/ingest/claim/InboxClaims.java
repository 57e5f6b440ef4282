package dev.pressline.ingest.claim;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets several ingest instances share one inbox (a network folder) so that each file is taken by
 * exactly one of them. An instance claims a complete file by renaming it into a folder of its own
 * inside the inbox, {@code .pressline-claims/<instance>/<claimed at, ms>/<path in the inbox>}: a rename
 * is atomic on the file server, so of two instances renaming the same file one succeeds and the other
 * finds it gone. The path says who claimed the file and when. Only the owner reads, publishes and
 * moves a claimed file on to {@code processed/} or {@code rejected/}.
 *
 * <p>Each instance rewrites {@code .pressline-claims/<instance>.alive} every fifth of the lease. When
 * an owner's file has not been rewritten for a whole lease (it was killed, or lost the share), its
 * claims older than the lease are taken over by another instance, again by renaming each file into
 * the new owner's folder. A file the dead owner published but had not yet moved is then read again
 * and found in the catalogue: a duplicate, moved without being sent again.
 *
 * <p>An instance that could not show it is alive for half a lease takes nothing, so that it does not
 * publish a file another instance may be taking over at the same moment. On a clean stop the files it
 * still holds go back into the inbox for the others.
 *
 * <p>Two instances started with the same instance id would both take the files in one claims folder.
 * {@link #ensureIdFree} refuses to start while another live instance uses the id, and an instance
 * that finds its alive file written by another run takes no file until that stops.
 *
 * <p>With no instance id ({@link ClaimSettings#shared()} false) nothing is claimed and files are taken
 * where they lie, as by a single instance.
 */
public final class InboxClaims implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InboxClaims.class);

  /** The folder inside the inbox that holds every instance's claims; hidden, so never taken as a post. */
  public static final String FOLDER = ".pressline-claims";
  private static final String ALIVE = ".alive";

  private final Path inbox;
  private final ClaimSettings settings;
  private final Clock clock;
  private final Path root;
  private final Path own;
  /** When each held file became complete, so grace periods count from then and not from the claim. */
  private final Map<Path, Instant> since = new HashMap<>();
  private final ScheduledExecutorService heartbeat;
  private volatile Instant lastBeat = Instant.MIN;
  private volatile boolean beatFailing;
  /** This run of the instance, written in its alive file: another run writing there shares its id. */
  private final String run = UUID.randomUUID().toString();
  /** The other run writing this instance's alive file, as the log names it; null when there is none. */
  private volatile String sharedWith;
  private boolean fencedLogged;

  /** A file this instance holds, and since when it has been complete. */
  public record Held(Path file, Instant completeSince) {}

  private InboxClaims(Path inbox, ClaimSettings settings, Clock clock) {
    this.inbox = requireNonNull(inbox, "inbox");
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.root = inbox.resolve(FOLDER);
    this.own = settings.shared() ? root.resolve(settings.instanceId()) : null;
    this.heartbeat = settings.shared()
        ? Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "ingest-claims-heartbeat");
          t.setDaemon(true);
          return t;
        })
        : null;
  }

  /** Claims nothing: a single instance with the inbox to itself. */
  public static InboxClaims none(Path inbox) {
    return new InboxClaims(inbox, ClaimSettings.single(), Clock.systemUTC());
  }

  /** Starts showing that this instance is alive, if it shares the inbox. */
  public static InboxClaims open(Path inbox, ClaimSettings settings, Clock clock) {
    InboxClaims claims = new InboxClaims(inbox, settings, clock);
    if (settings.shared()) {
      try {
        Files.createDirectories(claims.own);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the claims folder " + claims.own, e);
      }
      claims.beat();
      long every = settings.heartbeat().toMillis();
      claims.heartbeat.scheduleWithFixedDelay(claims::beat, every, every, TimeUnit.MILLISECONDS);
      log.info("Sharing the inbox {} as instance {}: files are claimed before they are taken; claims of an "
          + "instance silent for {} ms are taken over", inbox.toAbsolutePath(), settings.instanceId(),
          settings.lease().toMillis());
    }
    return claims;
  }

  public boolean shared() {
    return settings.shared();
  }

  /**
   * Returns when no other live instance shares the inbox under this instance's id, and throws when
   * one does. An alive file rewritten within the lease belongs to a live instance unless it names a
   * process of this machine that has ended (this instance's own earlier run, killed) or this very
   * process id (a container restarted under its old host name). Otherwise this waits a heartbeat and a
   * half: a live instance rewrites the file meanwhile, a killed one does not.
   */
  public static void ensureIdFree(Path inbox, ClaimSettings settings, Clock clock) throws InterruptedException {
    if (!settings.shared()) {
      return;
    }
    Path file = inbox.resolve(FOLDER).resolve(settings.instanceId() + ALIVE);
    Alive before = Alive.read(file);
    if (before == null || !before.modified().isAfter(clock.instant().minus(settings.lease()))) {
      return;
    }
    long self = ProcessHandle.current().pid();
    if (before.host().equals(host())
        && (before.pid() == self || ProcessHandle.of(before.pid()).map(p -> !p.isAlive()).orElse(true))) {
      return;
    }
    log.info("The alive file of instance {} was written {} ms ago by process {} on {}: waiting a heartbeat to see "
        + "whether that instance still runs", settings.instanceId(),
        Duration.between(before.modified(), clock.instant()).toMillis(), before.pid(), before.host());
    Thread.sleep(settings.heartbeat().multipliedBy(3).dividedBy(2).toMillis());
    Alive after = Alive.read(file);
    if (after != null && (!after.run().equals(before.run()) || after.modified().isAfter(before.modified()))) {
      throw new InstanceIdInUseException("another ingest instance (process " + after.pid() + " on " + after.host()
          + ") is taking files from " + inbox.toAbsolutePath() + " as instance '" + settings.instanceId()
          + "'. Two instances with one id would take the same files: give each its own "
          + ClaimSettings.INSTANCE_ID + ".");
    }
  }

  /** What an alive file says: which run of which process on which machine wrote it, and when. */
  private record Alive(String run, long pid, String host, Instant modified) {

    /** The file's content, or null when it is missing or not one this class wrote. */
    static Alive read(Path file) {
      try {
        Instant modified = Files.getLastModifiedTime(file).toInstant();
        Map<String, String> fields = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            fields.put(line.substring(0, eq), line.substring(eq + 1));
          }
        }
        return new Alive(fields.getOrDefault("run", ""), Long.parseLong(fields.getOrDefault("pid", "-1")),
            fields.getOrDefault("host", ""), modified);
      } catch (IOException | NumberFormatException e) {
        return null;
      }
    }
  }

  /**
   * The path a file had in the inbox before it was claimed: {@code inbox/.pressline-claims/a/17…/ep/x.md}
   * is {@code inbox/ep/x.md}. Any other path is returned as it is.
   */
  public static Path originalPath(Path inbox, Path file) {
    Path claims = inbox.resolve(FOLDER);
    if (!file.startsWith(claims)) {
      return file;
    }
    Path inside = claims.relativize(file);
    return inside.getNameCount() > 2 ? inbox.resolve(inside.subpath(2, inside.getNameCount())) : file;
  }

  /** Whether this instance showed it is alive recently enough to take files; false stops it taking any. */
  public boolean holdsLease() {
    if (!shared()) {
      return true;
    }
    if (sharedWith != null) {
      return false;
    }
    boolean holds = lastBeat.plus(settings.lease().dividedBy(2)).isAfter(clock.instant());
    if (!holds && !fencedLogged) {
      log.warn("Instance {} could not show it is alive in {} for half the claim lease: it takes no file until it can, "
          + "since another instance may be taking its claims over", settings.instanceId(), root);
    }
    fencedLogged = !holds;
    return holds;
  }

  /**
   * Claims the given complete files of the inbox, oldest first, each by one rename into this
   * instance's folder; a file another instance renamed first is left to it.
   *
   * @param files complete files in the inbox, with the time each became complete
   */
  public void claim(Map<Path, Instant> files) throws IOException {
    if (files.isEmpty()) {
      return;
    }
    Path batch = newBatch();
    int won = 0;
    for (Map.Entry<Path, Instant> entry : files.entrySet()) {
      Path target = batch.resolve(inbox.relativize(entry.getKey()));
      if (rename(entry.getKey(), target)) {
        since.put(target, entry.getValue());
        won++;
      } else {
        log.debug("{}: taken by another instance", inbox.relativize(entry.getKey()));
      }
    }
    if (won < files.size()) {
      log.debug("Claimed {} of {} complete file(s); another instance took the others", won, files.size());
    }
  }

  /**
   * Takes over the claims of every instance that has not shown it is alive for a lease, those claimed
   * more than a lease ago; each file again by one rename, so two instances taking over at once
   * cannot both get a file.
   */
  public void takeOverAbandoned() throws IOException {
    if (!shared() || !Files.isDirectory(root)) {
      return;
    }
    Instant now = clock.instant();
    Instant expired = now.minus(settings.lease());
    for (Path owner : folders(root)) {
      if (owner.equals(own) || isAlive(owner, expired)) {
        continue;
      }
      for (Path batch : folders(owner)) {
        Instant claimedAt = claimedAt(batch);
        if (claimedAt == null || claimedAt.isAfter(expired)) {
          continue;
        }
        Path target = newBatch();
        int taken = 0;
        for (Path file : filesUnder(batch)) {
          if (rename(file, target.resolve(batch.relativize(file)))) {
            since.put(target.resolve(batch.relativize(file)), now);
            taken++;
          }
        }
        if (taken > 0) {
          log.warn("Took over {} file(s) that instance {} claimed at {}: it has not shown it is alive for more than "
              + "{} ms (stopped or killed). Each is taken as usual; one it had already published is a duplicate "
              + "and is not sent again", taken, owner.getFileName(), claimedAt, settings.lease().toMillis());
        }
        removeEmptyFolders(batch);
      }
    }
  }

  /** The files this instance holds, oldest claim first. */
  public List<Held> held() throws IOException {
    if (!shared() || !Files.isDirectory(own)) {
      return List.of();
    }
    List<Held> held = new ArrayList<>();
    Instant now = clock.instant();
    List<Path> batches = folders(own);
    batches.sort(Comparator.comparing(InboxClaims::claimedAtOrEpoch).thenComparing(Path::toString));
    for (Path batch : batches) {
      List<Held> inBatch = new ArrayList<>();
      for (Path file : filesUnder(batch)) {
        inBatch.add(new Held(file, since.computeIfAbsent(file, f -> now)));
      }
      // within one claim, in the order the files became complete, as a single instance takes them
      inBatch.sort(Comparator.comparing(Held::completeSince).thenComparing(h -> h.file().toString()));
      held.addAll(inBatch);
    }
    since.keySet().retainAll(held.stream().map(Held::file).toList());
    return held;
  }

  /** Removes this instance's claim folders that are empty now that their files went on. */
  public void tidy() {
    if (!shared() || !Files.isDirectory(own)) {
      return;
    }
    try {
      for (Path batch : folders(own)) {
        removeEmptyFolders(batch);
      }
    } catch (IOException e) {
      log.debug("Could not tidy the claims folder {}: {}", own, e.toString());
    }
  }

  private Path newBatch() throws IOException {
    long millis = clock.millis();
    Path batch = own.resolve(Long.toString(millis));
    for (int n = 2; Files.exists(batch, LinkOption.NOFOLLOW_LINKS); n++) {
      batch = own.resolve(millis + "-" + n);
    }
    return batch;
  }

  /** One atomic rename; false when the file has gone (another instance renamed it first). */
  private static boolean rename(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the inbox " + from.getParent() + " does not allow the atomic rename that claims rely on", e);
    }
  }

  private boolean isAlive(Path owner, Instant expired) {
    Path alive = root.resolve(owner.getFileName() + ALIVE);
    try {
      return Files.getLastModifiedTime(alive).toInstant().isAfter(expired);
    } catch (IOException e) {
      return false;
    }
  }

  /** When a claim folder was made, from its name: {@code 1733364000123} or {@code 1733364000123-2}. */
  private static Instant claimedAt(Path batch) {
    String name = batch.getFileName().toString();
    int dash = name.indexOf('-');
    try {
      return Instant.ofEpochMilli(Long.parseLong(dash < 0 ? name : name.substring(0, dash)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Instant claimedAtOrEpoch(Path batch) {
    Instant at = claimedAt(batch);
    return at == null ? Instant.EPOCH : at;
  }

  private static List<Path> folders(Path dir) throws IOException {
    List<Path> folders = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          folders.add(entry);
        }
      }
    } catch (NoSuchFileException e) {
      return folders;
    }
    return folders;
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    } catch (NoSuchFileException | UncheckedIOException e) {
      // the folder went while it was walked (its files moved on): nothing there
      return List.of();
    }
  }

  private static void removeEmptyFolders(Path dir) throws IOException {
    List<Path> folders;
    try (Stream<Path> paths = Files.walk(dir)) {
      folders = paths.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .sorted(Comparator.reverseOrder()).toList();
    } catch (NoSuchFileException | UncheckedIOException e) {
      return;
    }
    for (Path folder : folders) {
      try {
        Files.deleteIfExists(folder);
      } catch (java.nio.file.DirectoryNotEmptyException e) {
        // still holds a file: it stays
      }
    }
  }

  /** Rewrites this instance's sign of life; its modification time is what the others judge. */
  private void beat() {
    Path alive = root.resolve(settings.instanceId() + ALIVE);
    Path tmp = root.resolve(settings.instanceId() + ALIVE + "." + run + ".tmp");
    if (lastBeat != Instant.MIN) {
      noticeOtherRuns(Alive.read(alive));
    }
    try {
      Files.writeString(tmp, "instance=" + settings.instanceId() + "\nrun=" + run + "\npid="
          + ProcessHandle.current().pid() + "\nhost=" + host() + "\nat=" + clock.instant() + "\n",
          StandardCharsets.UTF_8);
      Files.move(tmp, alive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      lastBeat = clock.instant();
      if (beatFailing) {
        log.info("Instance {} shows it is alive in {} again", settings.instanceId(), root);
        beatFailing = false;
      }
    } catch (IOException | RuntimeException e) {
      if (!beatFailing) {
        log.warn("Instance {} cannot show it is alive in {} ({}); if this lasts a lease, another instance takes "
            + "its claimed files over", settings.instanceId(), root, e.toString());
        beatFailing = true;
      }
    }
  }

  /**
   * Since this instance's last beat its alive file can only have been written by another run with
   * the same id: while that goes on, this instance takes no file. Each of the two sees the other's
   * writes, so both stop, and the one left goes on once the other has gone.
   */
  private void noticeOtherRuns(Alive found) {
    if (found != null && !found.run().equals(run)) {
      String other = "process " + found.pid() + " on " + found.host();
      if (sharedWith == null) {
        log.error("Another ingest instance ({}) writes the alive file of instance {} in {}: two instances share one "
            + "id and would take the same files. This one takes no file until the other stops; give each instance "
            + "its own {}", other, settings.instanceId(), root, ClaimSettings.INSTANCE_ID);
      }
      sharedWith = other;
    } else if (sharedWith != null) {
      log.info("Instance {} is alone with its id again ({} stopped writing its alive file): it takes files again",
          settings.instanceId(), sharedWith);
      sharedWith = null;
    }
  }

  /** The other process using this instance's id, if one is writing its alive file; empty otherwise. */
  public Optional<String> sharedWith() {
    return Optional.ofNullable(sharedWith);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * Stops the heartbeat and puts the files this instance still holds back into the inbox, where
   * another instance takes them at once. Call it once nothing is being taken any more.
   */
  @Override
  public void close() {
    if (!shared()) {
      return;
    }
    heartbeat.shutdownNow();
    int released = 0;
    try {
      for (Held held : held()) {
        Path back = originalPath(inbox, held.file());
        try {
          Files.createDirectories(back.getParent());
          // without replacing: a file dropped under the same name meanwhile must not be overwritten
          Files.move(held.file(), back);
          released++;
        } catch (FileAlreadyExistsException e) {
          log.warn("{} stays claimed by {}: a file of that name is in the inbox again", inbox.relativize(back),
              settings.instanceId());
        }
      }
      tidy();
      Files.deleteIfExists(root.resolve(settings.instanceId() + ALIVE));
    } catch (IOException e) {
      log.warn("Could not hand back the files instance {} holds in {}: {}; another instance takes them over "
          + "after the lease", settings.instanceId(), own, e.toString());
    }
    if (released > 0) {
      log.info("Handed {} claimed file(s) back to the inbox for the other instances", released);
    }
  }
}
