package dev.pressline.console.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The one way the console writes a time or a day for a person to read ("5 Dec 2026 04:48:13 UTC",
 * "5 Dec 2026"), and the exact value beside it for machines. Every page, template filter and label
 * goes through here, so no page shows a raw instant with its nanoseconds.
 */
public final class ReadableTime {

  // seconds, not the clock's nanoseconds: an operator compares times with log lines, which show seconds
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

  private ReadableTime() {}

  /** An instant in words, in UTC: "5 Dec 2026 04:48:13 UTC". */
  public static String of(Instant at) {
    return TIME.format(at);
  }

  /** A day in words: "5 Dec 2026". */
  public static String of(LocalDate day) {
    return DAY.format(day);
  }

  /** The exact value, as HTML's {@code <time datetime>} takes it. */
  public static String machine(Instant at) {
    return DateTimeFormatter.ISO_INSTANT.format(at);
  }

  /** The day, as HTML's {@code <time datetime>} takes it. */
  public static String machine(LocalDate day) {
    return DateTimeFormatter.ISO_LOCAL_DATE.format(day);
  }
}
