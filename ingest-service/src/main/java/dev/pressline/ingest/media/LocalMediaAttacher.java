package dev.pressline.ingest.media;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.MediaRef;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.claim.InboxClaims;
import dev.pressline.ingest.parse.FileNames;
import dev.pressline.ingest.parse.ParsedPost;
import dev.pressline.ingest.parse.RejectedPostException;
import dev.pressline.ingest.process.FileKind;
import dev.pressline.ingest.process.MediaAttacher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches the audio and image lying beside a post in the inbox. Audio is the file named by front
 * matter's {@code audio}, else an {@code .mp3}/{@code .m4a} with the post's base name; the image is
 * the one named by {@code image}. A named file that has not arrived is waited for during the grace
 * period, then the post is rejected; one that is still being written is waited for while it grows. Files are checked to be what they claim, then copied into the
 * media store; the originals leave the inbox with the post.
 */
public final class LocalMediaAttacher implements MediaAttacher {

  private static final Logger log = LoggerFactory.getLogger(LocalMediaAttacher.class);

  static final Set<String> AUDIO = Set.of("mp3", "m4a");
  static final Set<String> IMAGES = Set.of("jpg", "jpeg", "png", "gif", "webp");

  private final IngestConfig config;
  private final MediaStore store;
  private final MediaProbe probe = new MediaProbe();
  private final Clock clock;

  public LocalMediaAttacher(IngestConfig config, MediaStore store, Clock clock) {
    this.config = requireNonNull(config, "config");
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public Attached attach(Path post, ParsedPost parsed, Instant completeSince) throws IOException {
    // a post claimed by this instance finds its media where it lay before the claim: media is not claimed
    Path inbox = InboxClaims.originalPath(config.folders().inbox(), post).getParent();
    String audioName = parsed.meta().audio() != null
        ? parsed.meta().audio()
        : sameBaseName(inbox, FileNames.baseName(post.getFileName().toString()));
    String imageName = parsed.meta().image();
    String waitFor = missing(inbox, audioName, "audio", completeSince);
    waitFor = waitFor != null ? waitFor : missing(inbox, imageName, "image", completeSince);
    if (waitFor != null) {
      return Attached.waitingFor(waitFor);
    }
    List<Path> files = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    MediaRef audio = audioName == null ? null : attachOne(inbox.resolve(audioName), true, files, hashes);
    MediaRef image = imageName == null ? null : attachOne(inbox.resolve(imageName), false, files, hashes);
    return new Attached(audio, image, files, hashes, List.of(), null);
  }

  @Override
  public boolean isStored(Path file) throws IOException {
    return store.contains(file, FileNames.extension(file.getFileName().toString()));
  }

  /** Checks one complete media file and copies it into the store; a bad one is rejected with its post. */
  private MediaRef attachOne(Path file, boolean audio, List<Path> files, List<String> hashes) throws IOException {
    String name = file.getFileName().toString();
    String ext = FileNames.extension(name);
    if (!(audio ? AUDIO : IMAGES).contains(ext)) {
      throw new RejectedPostException(audio
          ? "The audio ‘" + name + "’ must be an .mp3 or .m4a file."
          : "The image ‘" + name + "’ must be a .jpg, .png, .gif or .webp file.", 0, name);
    }
    long size = Files.size(file);
    if (size > config.maxMediaBytes()) {
      throw new RejectedPostException(
          "‘" + name + "’ is larger than the " + config.maxMediaBytes() / (1024 * 1024) + " MB allowed for media.", 0, name);
    }
    MediaProbe.Probe p;
    try {
      p = audio ? probe.audio(file, ext, name) : probe.image(file, ext, name);
    } catch (RejectedPostException e) {
      throw new RejectedPostException(e.getMessage(), 0, name);
    } catch (RuntimeException e) {
      // a file the probe was not written for must cost this post, never the inbox behind it
      log.error("Checking {} failed inside ingest-service", name, e);
      throw new RejectedPostException("‘" + name + "’ could not be checked: it is damaged in a way ingest-service does "
          + "not understand (" + e.getClass().getSimpleName() + "). Export it again; if it still fails, pass the file on "
          + "to whoever runs the pipeline.", 0, name);
    }
    MediaStore.Stored s = store.store(file, ext);
    files.add(file);
    hashes.add(s.sha256());
    return new MediaRef(s.fileName(), p.mimeType(), s.byteSize(), p.durationSeconds());
  }

  /**
   * Null when the file {@code name} (if any) is there and complete; else the name to wait for, as long as the grace
   * period lasts; after it the post is rejected.
   */
  private String missing(Path inbox, String name, String what, Instant completeSince) throws IOException {
    if (name == null) {
      return null;
    }
    Path file = inbox.resolve(name);
    if (Files.isSymbolicLink(file)) {
      Path real = file.toRealPath();
      if (!real.startsWith(file.getParent().toRealPath())) {
        throw new RejectedPostException(
            "The " + what + " ‘" + name + "’ is a link to a file outside the inbox; copy the file itself into the inbox.", 0, name);
      }
    }
    Instant now = clock.instant();
    if (Files.exists(file)) {
      FileKind kind = FileKind.of(file);
      if (kind != FileKind.REGULAR) {
        throw new RejectedPostException("The " + what + " ‘" + name + "’ named in the post is " + kind.description()
            + ", not a regular file, and is never opened. Drop the " + what + " itself as an ordinary file.", 0, name);
      }
    }
    boolean there = Files.isRegularFile(file);
    boolean settled =
        there && !Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().plus(config.settleTime()).isAfter(now);
    if (there) {
      // a large file still arriving is waited for as long as it keeps growing
      return settled ? null : name;
    }
    if (now.isBefore(completeSince.plus(config.mediaGrace()))) {
      return name;
    }
    throw new RejectedPostException(
        "The " + what + " ‘" + name + "’ named in the post is not in the inbox (waited " + minutes()
            + "). Drop the " + what + " file beside the post, then the post again.");
  }

  private String minutes() {
    long s = config.mediaGrace().toSeconds();
    return s >= 120 ? s / 60 + " minutes" : s + " seconds";
  }

  private static String sameBaseName(Path inbox, String base) {
    for (String ext : List.of("mp3", "m4a", "MP3", "M4A")) {
      Path candidate = inbox.resolve(base + "." + ext);
      if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
        return candidate.getFileName().toString();
      }
    }
    return null;
  }
}
