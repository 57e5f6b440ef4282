package dev.pressline.ingest.process;

/**
 * What happened to one file taken from the inbox.
 *
 * @param kind the kind of outcome
 * @param file the file's name as dropped
 * @param slug the post it concerns, or null when rejected before a slug was known
 * @param message one sentence for the log and the receipt
 */
public record Outcome(Kind kind, String file, String slug, String message) {

  /** The kinds of outcome. */
  public enum Kind {
    /** A new post went out. */
    PUBLISHED,
    /** New content for an existing post went out. */
    UPDATED,
    /** The post was withdrawn. */
    RETRACTED,
    /** The same content was already published; nothing went out. */
    DUPLICATE,
    /** The file went to rejected/ with a reason. */
    REJECTED,
    /** The post waits in the inbox for a file it names. */
    WAITING
  }
}
