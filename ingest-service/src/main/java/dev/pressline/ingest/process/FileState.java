package dev.pressline.ingest.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A post file as it was read: its size and modification time just before reading, and the SHA-256
 * of the bytes read. Compared with the file just before it moves to {@code processed/}, it tells
 * whether what lies there is exactly what was published.
 *
 * @param size the size before reading
 * @param modified the modification time before reading
 * @param sha256 the hash of the bytes read
 */
record FileState(long size, FileTime modified, String sha256) {

  /** Size and time of {@code file} now, to pair with the hash of the bytes then read. */
  static BasicFileAttributes attributes(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class);
  }

  static FileState of(BasicFileAttributes before, byte[] bytes) {
    return new FileState(before.size(), before.lastModifiedTime(), sha256(bytes));
  }

  /**
   * Whether {@code file} still holds exactly what was read: the same size and time, and, since a
   * time stamp may be too coarse to show a quick rewrite, the same bytes.
   */
  boolean matches(Path file) throws IOException {
    BasicFileAttributes now = attributes(file);
    if (now.size() != size || !now.lastModifiedTime().equals(modified)) {
      return false;
    }
    MessageDigest digest = digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest()).equals(sha256);
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
