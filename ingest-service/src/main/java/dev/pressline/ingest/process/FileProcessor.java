package dev.pressline.ingest.process;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.catalogue.Catalogue;
import dev.pressline.ingest.catalogue.Identity;
import dev.pressline.ingest.parse.FileNames;
import dev.pressline.ingest.parse.ParsedPost;
import dev.pressline.ingest.parse.PostParser;
import dev.pressline.ingest.parse.RejectedPostException;
import dev.pressline.ingest.parse.Slugs;
import dev.pressline.ingest.process.Outcome.Kind;
import dev.pressline.ingest.publish.PostSink;
import dev.pressline.ingest.publish.PublishFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes complete files from the inbox: reads and checks each, decides what it is (new post, update,
 * duplicate, retraction), publishes the event, and only once Kafka acknowledged it moves the file to
 * {@code processed/} with a receipt. A file it cannot take goes to {@code rejected/} with a reason. If
 * Kafka does not acknowledge, the file stays where it is and the caller learns why, to retry later.
 *
 * <p>Files flow through three overlapping steps: a few threads read and parse ahead
 * ({@link PostReader}); the calling thread decides each file in order and sends its event without
 * waiting; as acknowledgements arrive, oldest first, it moves the files concerned. A file that
 * depends on an event still on its way (the same slug, the same content) is decided after it.
 */
public final class FileProcessor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FileProcessor.class);
  /** Marker files that withdraw a post: {@code <slug>.retract}. */
  public static final String RETRACT_EXTENSION = "retract";
  /**
   * Events sent but not yet acknowledged, at most: enough to keep the producer's batches full, few
   * enough to bound the memory the waiting posts hold.
   */
  private static final int MAX_UNACKNOWLEDGED = 500;

  private final IngestConfig config;
  private final Catalogue catalogue;
  private final PostSink sink;
  private final MediaAttacher media;
  private final Clock clock;
  private final ProcessingListener listener;
  private final PostReader reader;
  private final FileMover mover;
  private final Receipts receipts;
  /** Files that could not be read, so the log says so once rather than at every look. */
  private final Set<String> unreadable = new HashSet<>();
  /**
   * Files that changed after they were read and published, by name, with the slug published from
   * them: they stay in the inbox, and once read again their new content is an update of that post.
   */
  private final Map<String, String> changedAfterRead = new HashMap<>();

  public FileProcessor(
      IngestConfig config, Catalogue catalogue, PostSink sink, MediaAttacher media, Clock clock, ProcessingListener listener) {
    this(config, catalogue, sink, media, clock, listener, PostReader.defaultThreads());
  }

  /** @param readers threads that read and parse files ahead of the deciding thread */
  FileProcessor(IngestConfig config, Catalogue catalogue, PostSink sink, MediaAttacher media, Clock clock,
      ProcessingListener listener, int readers) {
    this.config = requireNonNull(config, "config");
    this.catalogue = requireNonNull(catalogue, "catalogue");
    this.sink = requireNonNull(sink, "sink");
    this.media = requireNonNull(media, "media");
    this.clock = requireNonNull(clock, "clock");
    this.listener = requireNonNull(listener, "listener");
    this.reader = new PostReader(config, readers, clock);
    this.mover = new FileMover(config.folders(), clock);
    this.receipts = new Receipts(config.publicBaseUrl());
  }

  /** Whether {@code fileName} is a post or a retraction marker; any other file is rejected. */
  static boolean handles(String fileName) {
    return PostParser.isPost(fileName) || FileNames.extension(fileName).equals(RETRACT_EXTENSION);
  }

  /**
   * A complete file the inbox thread hands over.
   *
   * @param file the file in the inbox
   * @param completeSince when it was first seen complete; grace periods count from then
   */
  public record Ready(Path file, Instant completeSince) {}

  /**
   * What came of {@link #processAll}.
   *
   * @param outcomes what happened to each file that was done with, or waits
   * @param failure why Kafka did not acknowledge, or null; the files concerned stay in the inbox
   */
  public record Result(List<Outcome> outcomes, PublishFailedException failure) {}

  /** How far one file got in preparation. */
  private sealed interface Step permits Done, Send, Blocked, Later {}

  /** The file is done with (rejected, duplicate) or waits; nothing to send. */
  private record Done(Outcome outcome) implements Step {}

  /** An event to send. */
  private record Send(Pending pending) implements Step {}

  /** Depends on an event on its way: decided in the next pass, once that event is acknowledged. */
  private record Blocked() implements Step {}

  /** Could not be read now, or has gone: looked at again at the next look at the inbox. */
  private record Later() implements Step {}

  private static final Blocked BLOCKED = new Blocked();
  private static final Later LATER = new Later();

  /**
   * Processes complete files in the order given. Events go out without waiting for each other and
   * each file moves only once its own event is acknowledged; a post that depends on one on its way
   * (same slug, same content) waits for the next pass, so every decision is made against a catalogue
   * that holds all acknowledged events. After a failure nothing more is sent; the files not
   * acknowledged stay in the inbox.
   */
  public Result processAll(List<Ready> files) {
    List<Outcome> outcomes = new ArrayList<>();
    List<Ready> todo = files;
    while (!todo.isEmpty()) {
      InFlight inFlight = new InFlight();
      List<Ready> blocked = new ArrayList<>();
      PublishFailedException failure = null;
      try (PostReader.Ahead reads = reader.readAhead(todo)) {
        while (failure == null && reads.hasNext()) {
          PostReader.Read read = reads.next();
          Step step = prepare(read, inFlight);
          if (step instanceof Done done) {
            finished(done.outcome(), outcomes);
          } else if (step instanceof Send send) {
            inFlight.add(send.pending(), sink.send(send.pending().event()));
          } else if (step instanceof Blocked) {
            blocked.add(read.ready());
          }
          failure = finishAcknowledged(inFlight, MAX_UNACKNOWLEDGED - 1, outcomes);
        }
      }
      PublishFailedException last = finishAcknowledged(inFlight, 0, outcomes);
      failure = failure != null ? failure : last;
      if (failure != null) {
        return new Result(outcomes, failure);
      }
      todo = blocked;
    }
    return new Result(outcomes, null);
  }

  private void finished(Outcome outcome, List<Outcome> outcomes) {
    if (outcome.kind() != Kind.WAITING) {
      log.info("{}: {}", outcome.file(), outcome.message());
    }
    outcomes.add(outcome);
    listener.finished(outcome);
  }

  /**
   * Finishes sent events oldest first: every one already answered, and beyond that waits until at
   * most {@code keep} remain. Each acknowledged file moves; returns the first failure, if any.
   */
  private PublishFailedException finishAcknowledged(InFlight inFlight, int keep, List<Outcome> outcomes) {
    PublishFailedException failure = null;
    while (inFlight.unfinished() > keep || inFlight.oldestAnswered()) {
      InFlight.Sent sent = inFlight.takeOldest();
      Pending p = sent.pending();
      try {
        sent.ack().await();
      } catch (PublishFailedException e) {
        if (e.isTooLarge()) {
          // no retry can help: the editor has to shorten the post
          finished(reject(p.file(), p.name(), "This post is too large to publish: as a web page and as text it comes to "
              + "more than Kafka accepts for one post (about 1 MB). Please shorten it or split it into several posts.",
              null), outcomes);
        } else if (failure == null) {
          failure = e;
          inFlight.withdrawUnsent();
        }
        continue;
      }
      listener.acknowledged(p.event(), p.file());
      catalogue.apply(p.event());
      try {
        finished(complete(p), outcomes);
      } catch (IOException e) {
        // published: at the next look the file is recognised as a duplicate and moved then
        log.error("{} was published as ‘{}’ but could not be moved out of the inbox: {}", p.name(), p.event().slug(),
            e.getMessage(), e);
      }
    }
    return failure;
  }

  /** Decides one read file; sends nothing. */
  private Step prepare(PostReader.Read read, InFlight inFlight) {
    Path file = read.ready().file();
    String name = read.name();
    try {
      Step step = decide(read, inFlight);
      unreadable.remove(name);
      return step;
    } catch (RejectedPostException e) {
      return prepareRejected(file, name, e);
    } catch (NoSuchFileException e) {
      log.info("{} disappeared from the inbox before it could be taken", name);
      return LATER;
    } catch (IOException | UncheckedIOException e) {
      // a file the service cannot read or move now (permissions, a full disk) must not hold up the others
      if (unreadable.add(name)) {
        log.error("Could not take {}: {}. It stays in the inbox and is tried again.", name, e.getMessage(), e);
      }
      return LATER;
    } catch (RuntimeException e) {
      // a fault of ingest's own with this one file: retried at every look it would hold up every post
      // behind it for ever, so the file is rejected with a reason and the inbox moves on
      log.error("Taking {} failed inside ingest-service; it is rejected", name, e);
      return prepareRejected(file, name, new RejectedPostException("ingest-service could not take this file because of "
          + "an error of its own (" + e.getClass().getSimpleName() + "). Please pass the file on to whoever runs the "
          + "pipeline."));
    }
  }

  private Step prepareRejected(Path file, String name, RejectedPostException e) {
    try {
      return new Done(reject(file, name, e.reason(), e.mediaFile()));
    } catch (UncheckedIOException moveFailed) {
      // a file that cannot be moved to rejected/ (permissions, a full disk) must not hold up the others
      if (unreadable.add(name)) {
        log.error("{} is rejected ({}) but could not be moved to the rejected folder: {}. It stays in the inbox.",
            name, e.reason(), moveFailed.getMessage());
      }
      return LATER;
    }
  }

  private Step decide(PostReader.Read read, InFlight inFlight) throws IOException {
    Path file = read.ready().file();
    String name = read.name();
    byte[] bytes = read.content();
    if (read.post() == null) {
      return retraction(file, name, FileNames.baseName(file.getFileName().toString()), bytes, List.of(), inFlight);
    }
    ParsedPost post = read.post();
    if (post.meta().retract()) {
      String slug = post.meta().slug() != null
          ? post.meta().slug()
          : catalogue.fromSource(name).map(Catalogue.Entry::slug).orElse(Slugs.fromTitle(post.title()));
      return retraction(file, name, slug, bytes, post.warnings(), inFlight);
    }
    if (post.meta().slug() != null && inFlight.claimsSlug(post.meta().slug())) {
      return BLOCKED;
    }
    MediaAttacher.Attached attached = media.attach(file, post, read.ready().completeSince());
    if (attached.waitingFor() != null) {
      return new Done(new Outcome(Kind.WAITING, name, null, "waiting for " + attached.waitingFor()));
    }
    String hash = contentHash(bytes, attached.hashes());
    if (inFlight.claimsContent(hash)) {
      return BLOCKED;
    }
    Identity identity = catalogue.identify(hash, name, post.meta().slug(), post.title(), post.text());
    List<String> warnings = new ArrayList<>(post.warnings());
    String publishedBefore = changedAfterRead.get(name);
    if (publishedBefore != null && !(identity instanceof Identity.Duplicate)) {
      Catalogue.Entry previous = catalogue.bySlug(publishedBefore).orElse(null);
      if (previous != null && !previous.retracted()) {
        identity = new Identity.Update(previous, "the file was still being written when ‘" + previous.slug()
            + "’ was published from it.");
        warnings.add("This file was still being written when it was first read: revision " + previous.revision()
            + " of ‘" + previous.slug() + "’ went out with only part of it. The whole file, as it is now, is published "
            + "as this update. Save posts elsewhere and move them into the inbox when they are finished.");
      }
    }
    if (identity instanceof Identity.Duplicate duplicate) {
      Catalogue.Entry of = duplicate.of();
      if (inFlight.claimsSlug(of.slug())) {
        // the post it repeats is changing right now: once that is acknowledged it may be no repeat at all
        return BLOCKED;
      }
      if (!read.state().matches(file)) {
        // written again since it was read: what lies there now is no duplicate, perhaps
        return LATER;
      }
      changedAfterRead.remove(name);
      mover.toProcessed(file, receipts.duplicate(name, of, present(attached.files())));
      moveAll(attached.files());
      return new Done(new Outcome(Kind.DUPLICATE, name, of.slug(), "duplicate of the post ‘" + of.slug()
          + "’ (revision " + of.revision() + "): exactly this content is already published, so nothing was sent"));
    }
    Instant now = clock.instant();
    PostEvent event = event(identity, post, attached, hash, name, now);
    if (inFlight.claimsSlug(event.slug())) {
      return BLOCKED;
    }
    warnings.addAll(attached.warnings());
    if (post.meta().resend() && event.change() == PostChange.PUBLISHED) {
      warnings.add("‘resend: true’ was ignored: it asks for an update to be emailed again, and this is a new "
          + "post, which is emailed anyway.");
    }
    String why = identity instanceof Identity.Update u ? u.why() : ((Identity.NewPost) identity).why();
    return new Send(new Pending(file, name, event, attached.files(), warnings, now, read.state(), why));
  }

  /** Moves an acknowledged post and its media out of the inbox and writes the receipt. */
  private Outcome complete(Pending p) throws IOException {
    PostEvent event = p.event();
    if (event.change() == PostChange.RETRACTED) {
      mover.toProcessed(p.file(), receipts.retracted(p.name(), event, p.warnings()));
      return new Outcome(Kind.RETRACTED, p.name(), event.slug(), "withdrew ‘" + event.slug() + "’ from feed and archive");
    }
    if (!p.read().matches(p.file())) {
      // written to after it was read (a copy that paused with the file open, a sync client): the
      // file stays, is read again once complete, and its whole content goes out as an update, so
      // processed/ only ever holds exactly what was published
      changedAfterRead.put(p.name(), event.slug());
      log.warn("{} changed after it was read: ‘{}’ went out with the content read then (revision {}); the file stays in "
          + "the inbox and is published again as an update once it is complete", p.name(), event.slug(), event.revision());
      return new Outcome(Kind.WAITING, p.name(), event.slug(),
          "changed after it was read; its new content is published as an update of ‘" + event.slug() + "’ once complete");
    }
    changedAfterRead.remove(p.name());
    // the post before its media: a crash in between leaves media in the inbox, which settleOrphan
    // finds already stored, rather than a post waiting for media that has gone
    mover.toProcessed(p.file(), receipts.published(event, present(p.media()), p.warnings(), p.now(), p.why()));
    moveAll(p.media());
    boolean first = event.change() == PostChange.PUBLISHED;
    String message =
        (first ? "published as ‘" + event.slug() + "’" : "updated ‘" + event.slug() + "’ to revision " + event.revision())
            + " (“" + event.title() + "”)"
            + (event.publishAt().isAfter(p.now()) ? ", scheduled for " + event.publishAt() : "")
            + (p.warnings().isEmpty() ? "" : ", " + p.warnings().size() + " warning(s) in the receipt")
            + (p.why() == null ? "" : "; " + (first ? "new" : "an update") + " because " + p.why());
    return new Outcome(first ? Kind.PUBLISHED : Kind.UPDATED, p.name(), event.slug(), message);
  }

  /**
   * The event for a new post or an update. An update without a date of its own keeps the post's
   * publish time, so a correction neither jumps to the top of the feed nor releases a scheduled post.
   */
  private static PostEvent event(
      Identity identity, ParsedPost post, MediaAttacher.Attached attached, String hash, String name, Instant now) {
    Catalogue.Entry previous = identity instanceof Identity.Update u ? u.previous() : null;
    String slug = previous != null ? previous.slug() : ((Identity.NewPost) identity).slug();
    Instant publishAt =
        post.meta().publishAt() != null ? post.meta().publishAt() : previous != null ? previous.publishAt() : now;
    return PostEvent.builder()
        .change(previous == null ? PostChange.PUBLISHED : PostChange.UPDATED)
        .slug(slug)
        .revision(previous == null ? 1 : previous.revision() + 1)
        .title(post.title())
        .author(post.meta().author())
        .summary(post.summary())
        .html(post.html())
        .text(post.text())
        .publishAt(publishAt)
        .tags(post.meta().tags())
        .audio(attached.audio())
        .image(attached.image())
        .explicit(Boolean.TRUE.equals(post.meta().explicit()))
        .email(post.meta().email() == null || post.meta().email())
        .episode(post.meta().episode())
        .season(post.meta().season())
        .contentHash(hash)
        .sourceFile(name)
        .ingestedAt(now)
        .resend(previous != null && post.meta().resend())
        .build();
  }

  private Step retraction(Path file, String name, String slug, byte[] bytes, List<String> warnings, InFlight inFlight)
      throws IOException {
    if (inFlight.claimsSlug(slug)) {
      // the post may be on its way right now: decided once it is acknowledged
      return BLOCKED;
    }
    Catalogue.Entry entry =
        catalogue.bySlug(slug)
            .orElseThrow(() -> new RejectedPostException(
                "There is no published post with the slug ‘" + slug + "’ to withdraw. "
                    + "Check the slug in the receipt of the post you want to withdraw."));
    if (entry.retracted()) {
      mover.toProcessed(file, receipts.alreadyRetracted(name, entry));
      return new Done(new Outcome(Kind.DUPLICATE, name, slug, "‘" + slug + "’ was already withdrawn; nothing was sent"));
    }
    Instant now = clock.instant();
    PostEvent event =
        PostEvent.builder()
            .change(PostChange.RETRACTED)
            .slug(slug)
            .revision(entry.revision() + 1)
            .title(entry.title())
            .publishAt(entry.publishAt())
            .contentHash(contentHash(bytes, List.of()))
            .sourceFile(entry.sourceFile())
            .ingestedAt(now)
            .build();
    return new Send(new Pending(file, name, event, List.of(), warnings, now, null, null));
  }

  private Outcome reject(Path file, String name, String reason, String mediaFile) {
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return new Outcome(Kind.REJECTED, name, null, "rejected, but the file had already gone: " + reason);
      }
      mover.toRejected(file, "“" + name + "” was not published.\n\n" + reason + "\n\n"
          + "Fix the file and drop it into the inbox again; it will be taken then.");
      Path media = mediaFile == null ? null : file.resolveSibling(mediaFile);
      if (media != null && Files.exists(media, LinkOption.NOFOLLOW_LINKS)) {
        mover.toRejected(media, "“" + mediaFile + "” was not used: the post “" + name + "” it belongs to was rejected.\n\n"
            + reason + "\n\nFix it and drop post and file into the inbox again.");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + file + " to the rejected folder", e);
    }
    return new Outcome(Kind.REJECTED, name, null, "rejected: " + reason);
  }

  /**
   * An audio or image file that no post claimed in time: already stored (its post was taken before
   * a crash moved it) goes to processed/, anything else to rejected/ with a reason.
   */
  public Outcome settleOrphan(Path file) {
    String name = file.getFileName().toString();
    Outcome outcome;
    try {
      FileKind kind = FileKind.of(file);
      if (kind != FileKind.REGULAR) {
        mover.toRejected(file, "“" + name + "” was not used. " + kind.reason());
        outcome = new Outcome(Kind.REJECTED, name, null, "rejected: " + kind.description() + ", not a regular file");
      } else if (media.isStored(file)) {
        mover.toProcessed(file, "Already in the media store with the post it came with; nothing else to do.\n");
        outcome = new Outcome(Kind.DUPLICATE, name, null, "already in the media store; moved to processed");
      } else {
        long minutes = config.orphanMediaWait().toMinutes();
        String waited = minutes >= 1 ? minutes + " minute(s)" : config.orphanMediaWait().toSeconds() + " second(s)";
        String reason = "No post claimed “" + name + "” within " + waited + ". Audio and images are taken together "
            + "with their post: give the file the post's name (my-post.md and my-post.mp3), or name it in the "
            + "post's front matter (audio: " + name + "), and drop both.";
        mover.toRejected(file, reason);
        outcome = new Outcome(Kind.REJECTED, name, null, "rejected: " + reason);
      }
    } catch (NoSuchFileException e) {
      return new Outcome(Kind.WAITING, name, null, "gone");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + file, e);
    }
    log.info("{}: {}", name, outcome.message());
    listener.finished(outcome);
    return outcome;
  }

  /** A symbolic link may point only to a file inside the inbox. */
  static void checkStaysInInbox(Path file, Path inbox) throws IOException {
    if (!Files.isSymbolicLink(file)) {
      return;
    }
    Path target;
    try {
      target = file.toRealPath();
    } catch (NoSuchFileException e) {
      throw new RejectedPostException("This is a link to a file that does not exist. Drop the file itself, not a link.");
    }
    if (!target.startsWith(inbox.toRealPath())) {
      throw new RejectedPostException(
          "This is a link to a file outside the inbox (" + target.getFileName() + "). "
              + "For safety only files inside the inbox are taken: copy the file itself into the inbox.");
    }
  }

  private static List<Path> present(List<Path> files) {
    return files.stream().filter(f -> Files.exists(f, LinkOption.NOFOLLOW_LINKS)).toList();
  }

  private void moveAll(List<Path> files) throws IOException {
    for (Path f : present(files)) {
      mover.toProcessed(f);
    }
  }

  @Override
  public void close() {
    reader.close();
  }

  /** SHA-256 of the post's bytes, followed by the hashes of its media when it has any. */
  static String contentHash(byte[] bytes, List<String> mediaHashes) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes);
      for (String h : mediaHashes) {
        digest.update(h.getBytes(StandardCharsets.US_ASCII));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
