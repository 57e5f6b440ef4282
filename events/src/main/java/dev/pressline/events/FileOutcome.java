package dev.pressline.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What ingest did with one file from the inbox: the value on the {@code file-outcomes} topic, keyed
 * by the file's name. The folders and receipts stay as they are; this event lets an operator see the
 * same thing from anywhere the topics can be read (the console).
 *
 * @param schemaVersion version of this record's JSON shape
 * @param kind what happened
 * @param file the file's name as dropped into the inbox
 * @param slug the post it concerns, or null when it was rejected before a slug was known
 * @param reason one sentence in the same plain words as the receipt or the reason file
 * @param at when it happened
 */
public record FileOutcome(
    int schemaVersion, FileOutcome.Kind kind, String file, String slug, String reason, Instant at) {

  public static final int SCHEMA_VERSION = 1;

  /** The kinds of outcome, as ingest names them. */
  public enum Kind {
    /** A new post went out. */
    PUBLISHED,
    /** New content for an existing post went out. */
    UPDATED,
    /** The post was withdrawn. */
    RETRACTED,
    /** The same content was already published; nothing went out. */
    DUPLICATE,
    /** The file went to rejected/ beside a reason. */
    REJECTED,
    /** The post waits in the inbox for a file it names (or a file waits for its post). */
    WAITING
  }

  public FileOutcome {
    requireNonNull(kind, "kind");
    requireNonNull(file, "file");
    requireNonNull(at, "at");
    reason = reason == null ? "" : reason;
  }
}
