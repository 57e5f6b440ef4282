package dev.pressline.ingest.parse;

import dev.pressline.ingest.IngestException;

/**
 * A post that cannot be published as it is. The message is written for the editor who dropped it
 * and ends up in the reason file beside the rejected post.
 */
public final class RejectedPostException extends IngestException {

  private final int line;
  private final String mediaFile;

  /** A problem with the file as a whole. */
  public RejectedPostException(String reason) {
    this(reason, 0);
  }

  /** A problem at {@code line} (1-based), or in the whole file when {@code line} is 0. */
  public RejectedPostException(String reason, int line) {
    this(reason, line, null);
  }

  /** A problem with a media file beside the post; that file is rejected along with the post. */
  public RejectedPostException(String reason, int line, String mediaFile) {
    super(reason);
    this.line = line;
    this.mediaFile = mediaFile;
  }

  /** The name of the media file at fault, which leaves the inbox with the post, or null. */
  public String mediaFile() {
    return mediaFile;
  }

  /** The 1-based line the problem is on, or 0 when it concerns the whole file. */
  public int line() {
    return line;
  }

  /** The reason as an editor reads it, with the line number where one applies. */
  public String reason() {
    return line > 0 ? "Line " + line + ": " + getMessage() : getMessage();
  }
}
