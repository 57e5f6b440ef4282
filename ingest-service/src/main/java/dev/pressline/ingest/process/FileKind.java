package dev.pressline.ingest.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What kind of file system entry a name in the inbox is. Only regular files are ever opened: reading
 * a named pipe waits until someone writes to it, a device may never end, a socket cannot be read.
 */
public enum FileKind {
  REGULAR("a regular file"),
  FOLDER("a folder"),
  NAMED_PIPE("a named pipe (FIFO)"),
  SOCKET("a socket"),
  DEVICE("a device file"),
  OTHER("a special file");

  /** The file type bits of {@code st_mode}, and the values {@code S_IFIFO}, {@code S_IFSOCK}, {@code S_IFCHR}, {@code S_IFBLK}. */
  private static final int TYPE_BITS = 0170000;
  private static final int FIFO = 0010000;
  private static final int SOCK = 0140000;
  private static final int CHAR_DEVICE = 0020000;
  private static final int BLOCK_DEVICE = 0060000;

  private final String description;

  FileKind(String description) {
    this.description = description;
  }

  /** In words, with its article: "a named pipe (FIFO)". */
  public String description() {
    return description;
  }

  /** The kind of what {@code file} is or, for a symbolic link, points to; looking never opens it. */
  public static FileKind of(Path file) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    if (attrs.isRegularFile()) {
      return REGULAR;
    }
    if (attrs.isDirectory()) {
      return FOLDER;
    }
    try {
      int type = (Integer) Files.getAttribute(file, "unix:mode") & TYPE_BITS;
      return switch (type) {
        case FIFO -> NAMED_PIPE;
        case SOCK -> SOCKET;
        case CHAR_DEVICE, BLOCK_DEVICE -> DEVICE;
        default -> OTHER;
      };
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // no "unix" view (Windows): the kind stays general, which is enough to leave it unopened
      return OTHER;
    }
  }

  /** The reason an editor reads for an inbox entry of this kind, which is not taken. */
  public String reason() {
    return "This is " + description + ", not a regular file: only ordinary files saved or copied into the inbox "
        + "are taken, and this one is never opened. Save the post (or its audio or image) as an ordinary file and "
        + "drop that.";
  }
}
