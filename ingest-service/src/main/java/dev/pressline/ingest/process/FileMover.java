package dev.pressline.ingest.process;

import static java.util.Objects.requireNonNull;

import dev.pressline.ingest.IngestConfig.Folders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Moves files out of the inbox into {@code processed/} or {@code rejected/}, with the receipt or
 * reason file beside them. A name already taken there gets a time stamp, so nothing is overwritten.
 *
 * <p>The note is written before the file moves: whoever sees a file gone from the inbox (an editor,
 * a script, a test) finds its receipt or reason already there. A crash in between leaves the file in
 * the inbox, where it is taken again and the note rewritten.
 */
final class FileMover {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final Folders folders;
  private final Clock clock;

  FileMover(Folders folders, Clock clock) {
    this.folders = requireNonNull(folders, "folders");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Moves a file that came along with a post to processed/, with no note of its own; returns where it went. */
  Path toProcessed(Path file) throws IOException {
    return move(file, freeName(file, folders.processed()));
  }

  /** Writes {@code <name>.receipt.txt} in processed/, then moves {@code file} beside it. */
  Path toProcessed(Path file, String receipt) throws IOException {
    Path target = freeName(file, folders.processed());
    writeNote(target.resolveSibling(target.getFileName() + ".receipt.txt"), receipt);
    return move(file, target);
  }

  /** Writes {@code <name>.reason.txt} in rejected/, then moves {@code file} beside it. */
  Path toRejected(Path file, String reason) throws IOException {
    Path target = freeName(file, folders.rejected());
    writeNote(target.resolveSibling(target.getFileName() + ".reason.txt"), reason);
    return move(file, target);
  }

  private Path freeName(Path file, Path folder) {
    String name = file.getFileName().toString();
    Path target = folder.resolve(name);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
      String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
      String stamp = STAMP.format(clock.instant());
      target = folder.resolve(stem + "." + stamp + ext);
      for (int n = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
        target = folder.resolve(stem + "." + stamp + "-" + n + ext);
      }
    }
    return target;
  }

  private static Path move(Path file, Path target) throws IOException {
    try {
      return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      // processed/ on another file system: copy, then remove from the inbox
      Files.copy(file, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
      Files.delete(file);
      return target;
    }
  }

  private static void writeNote(Path note, String text) throws IOException {
    Path tmp = note.resolveSibling(note.getFileName() + ".tmp");
    Files.writeString(tmp, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, note, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
