package dev.pressline.ingest.media;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The content-addressed media store feed-service serves: each file is named by the SHA-256 of its
 * bytes plus its extension, so a name never changes meaning and storing the same bytes twice is a
 * no-op. Files appear atomically: a reader never sees half a file.
 */
public final class MediaStore {

  /**
   * A stored file.
   *
   * @param fileName name inside the store
   * @param sha256 hex hash of the bytes
   * @param byteSize exact length
   */
  public record Stored(String fileName, String sha256, long byteSize) {}

  private final Path dir;

  public MediaStore(Path dir) {
    this.dir = requireNonNull(dir, "dir");
  }

  public Stored store(Path source, String extension) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".incoming-", ".tmp");
    try {
      MessageDigest digest = sha256();
      long size;
      try (InputStream in = Files.newInputStream(source);
          OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), digest)) {
        size = in.transferTo(out);
      }
      String hash = HexFormat.of().formatHex(digest.digest());
      String name = hash + "." + extension;
      Path target = dir.resolve(name);
      if (Files.exists(target) && Files.size(target) == size) {
        Files.delete(tmp);
      } else {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      return new Stored(name, hash, size);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Whether the bytes of {@code source} are stored already. */
  public boolean contains(Path source, String extension) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(source);
        OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
      in.transferTo(out);
    }
    return Files.exists(dir.resolve(HexFormat.of().formatHex(digest.digest()) + "." + extension));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
