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

  /** Moves {@code file} to processed/; returns where it went. */
  Path toProcessed(Path file) throws IOException {
    return move(file, folders.processed());
  }

  /** Moves {@code file} to rejected/ and writes {@code <name>.reason.txt} beside it. */
  Path toRejected(Path file, String reason) throws IOException {
    Path target = move(file, folders.rejected());
    writeNote(target.resolveSibling(target.getFileName() + ".reason.txt"), reason);
    return target;
  }

  void writeReceipt(Path processedFile, String receipt) throws IOException {
    writeNote(processedFile.resolveSibling(processedFile.getFileName() + ".receipt.txt"), receipt);
  }

  private Path move(Path file, Path folder) throws IOException {
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
