package dev.pressline.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The state of one subscriber: the value on the compacted {@code subscribers} topic, keyed by the
 * normalised email address.
 *
 * @param schemaVersion version of this record's JSON shape
 * @param email normalised address (trimmed, domain lower-cased)
 * @param status where the subscriber stands
 * @param changedAt when this state was reached
 * @param source how the address came in, e.g. {@code web}, {@code import:list.csv}, {@code admin}
 */
public record SubscriberEvent(
    int schemaVersion, String email, SubscriberStatus status, Instant changedAt, String source) {

  public static final int SCHEMA_VERSION = 1;

  public SubscriberEvent {
    requireNonNull(email, "email");
    requireNonNull(status, "status");
    requireNonNull(changedAt, "changedAt");
    source = source == null ? "" : source;
  }
}
