package dev.pressline.ingest.watch;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds which of some files a process on this machine still holds open for writing, so a post that
 * a slow copy (SMB, NFS, scp, a sync client) is still writing is not taken at a pause in its writing.
 *
 * <p>On Linux every open file of every process is a link under {@code /proc/<pid>/fd}, and
 * {@code /proc/<pid>/fdinfo/<fd>} names the mode it was opened in. Where {@code /proc} is missing or
 * only the service's own processes can be seen, the answer covers what can be seen; a writer on
 * another machine (the far side of a network share) is never visible here, which is what the settle
 * time and the check before a file moves are for.
 */
final class OpenForWriting {

  private static final Logger log = LoggerFactory.getLogger(OpenForWriting.class);
  /** {@code O_ACCMODE}: the low two bits of the open flags; 1 is write only, 2 read and write. */
  private static final int ACCESS_MODE = 3;

  private final Path proc;
  private final boolean available;

  /** A process holding a file open for writing. */
  record Writer(long pid, String command) {
    @Override
    public String toString() {
      return command.isEmpty() ? "process " + pid : "process " + pid + " (" + command + ")";
    }
  }

  OpenForWriting() {
    this(Path.of("/proc"));
  }

  OpenForWriting(Path proc) {
    this.proc = requireNonNull(proc, "proc");
    this.available = Files.isDirectory(proc.resolve("self").resolve("fd"));
    if (!available) {
      log.info("{} cannot be read here: a file still open for writing is recognised by its settle time only", proc);
    }
  }

  /** Which of {@code files} are open for writing, and by whom; empty where nothing can be seen. */
  Map<Path, Writer> amongst(Collection<Path> files) {
    Map<Path, Writer> open = new HashMap<>();
    if (!available || files.isEmpty()) {
      return open;
    }
    Map<Path, Path> byRealPath = new HashMap<>();
    for (Path file : files) {
      // only a plain file can be half written; a link may point at /dev/null, which every process
      // holds open for writing, and a pipe or device is rejected without being opened anyway
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        byRealPath.put(file.toRealPath(), file);
      } catch (IOException e) {
        // gone meanwhile: the processor finds that out itself
      }
    }
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, p -> isNumber(p.getFileName().toString()))) {
      for (Path process : processes) {
        scanProcess(process, byRealPath, open);
      }
    } catch (IOException | RuntimeException e) {
      log.debug("Could not list the processes in {}: {}", proc, e.toString());
    }
    return open;
  }

  private void scanProcess(Path process, Map<Path, Path> files, Map<Path, Writer> open) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
      for (Path fd : fds) {
        Path target;
        try {
          target = Files.readSymbolicLink(fd);
        } catch (IOException | UnsupportedOperationException e) {
          continue;
        }
        Path file = files.get(target);
        if (file != null && !open.containsKey(file) && opensForWriting(process, fd.getFileName().toString())) {
          open.put(file, new Writer(Long.parseLong(process.getFileName().toString()), command(process)));
        }
      }
    } catch (IOException | RuntimeException e) {
      // another user's process, or one that ended meanwhile: nothing to see there
    }
  }

  private static boolean opensForWriting(Path process, String fd) {
    try {
      for (String line : Files.readAllLines(process.resolve("fdinfo").resolve(fd))) {
        if (line.startsWith("flags:")) {
          int flags = Integer.parseInt(line.substring("flags:".length()).trim(), 8);
          return (flags & ACCESS_MODE) != 0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // cannot tell: the file is open, which is reason enough to leave it for now
      return true;
    }
    return true;
  }

  private static String command(Path process) {
    try {
      return Optional.ofNullable(Files.readString(process.resolve("comm"))).orElse("").strip();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static boolean isNumber(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
