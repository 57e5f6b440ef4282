package dev.pressline.bench.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Peak heap figures read from a JVM's unified GC log ({@code -Xlog:gc}): every collection line says
 * {@code before->after(committed)}. The peak after a collection is the most the heap really had to
 * keep; the peak before one is the most it held at any time, garbage included.
 *
 * @param collections how many collections the log shows
 * @param peakBeforeMiB largest heap in use when a collection began
 * @param peakAfterMiB largest heap still in use after a collection (live data and what survived)
 * @param peakCommittedMiB largest heap the JVM had reserved from the system
 * @param lastAfterMiB heap in use after the last collection: the live data when that was a full one
 */
public record GcLog(int collections, long peakBeforeMiB, long peakAfterMiB, long peakCommittedMiB,
    long lastAfterMiB) {

  private static final Pattern PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  public static GcLog read(Path file) {
    int count = 0;
    long before = 0;
    long after = 0;
    long committed = 0;
    long last = 0;
    try {
      for (String line : Files.readAllLines(file)) {
        Matcher m = PAUSE.matcher(line);
        if (m.find()) {
          count++;
          before = Math.max(before, Long.parseLong(m.group(1)));
          after = Math.max(after, Long.parseLong(m.group(2)));
          committed = Math.max(committed, Long.parseLong(m.group(3)));
          last = Long.parseLong(m.group(2));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the GC log " + file, e);
    }
    return new GcLog(count, before, after, committed, last);
  }
}
