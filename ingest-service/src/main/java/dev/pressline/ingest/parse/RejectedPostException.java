package dev.pressline.ingest.parse;

import dev.pressline.ingest.IngestException;

/**
 * A post that cannot be published as it is. The message is written for the editor who dropped it
 * and ends up in the reason file beside the rejected post.
 */
public final class RejectedPostException extends IngestException {

  private final int line;

  /** A problem with the file as a whole. */
  public RejectedPostException(String reason) {
    this(reason, 0);
  }

  /** A problem at {@code line} (1-based), or in the whole file when {@code line} is 0. */
  public RejectedPostException(String reason, int line) {
    super(reason);
    this.line = line;
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
