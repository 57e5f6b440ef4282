package dev.pressline.console.health;

/**
 * How far one reader is behind its topic.
 *
 * @param reader who reads (fan-out, mailers, feed)
 * @param topic what it reads
 * @param records records not yet read (committed); -1 when not known
 * @param note how the figure was found, or why there is none
 */
public record Lag(String reader, String topic, long records, String note) {}
