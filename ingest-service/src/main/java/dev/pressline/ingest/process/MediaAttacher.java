package dev.pressline.ingest.process;

import dev.pressline.events.MediaRef;
import dev.pressline.ingest.parse.ParsedPost;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Finds, checks and stores the audio and image a post comes with. */
public interface MediaAttacher {

  /**
   * The media of one post.
   *
   * @param audio the stored audio, or null
   * @param image the stored image, or null
   * @param files the inbox files that belong to the post and leave the inbox with it
   * @param hashes content hashes of those files, part of the post's content hash
   * @param warnings things the editor should know
   * @param waitingFor a named file that has not arrived yet (the post waits), or null
   */
  record Attached(
      MediaRef audio, MediaRef image, List<Path> files, List<String> hashes, List<String> warnings, String waitingFor) {

    public static Attached waitingFor(String name) {
      return new Attached(null, null, List.of(), List.of(), List.of(), name);
    }
  }

  /**
   * Attaches the media of {@code post} (a file in the inbox).
   *
   * @param completeSince when the post file became complete; the grace period for late media counts from it
   * @throws dev.pressline.ingest.parse.RejectedPostException when media is missing after the grace period or fake
   */
  Attached attach(Path post, ParsedPost parsed, Instant completeSince) throws IOException;

  /** Whether exactly this file's bytes are already in the media store. */
  default boolean isStored(Path file) throws IOException {
    return false;
  }
}
