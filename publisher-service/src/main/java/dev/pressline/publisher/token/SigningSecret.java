package dev.pressline.publisher.token;

import dev.pressline.publisher.PublisherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the secret that signs link tokens: the configured one, or one generated once and kept on disk. */
public final class SigningSecret {

  private static final Logger log = LoggerFactory.getLogger(SigningSecret.class);
  static final String FILE_NAME = "publisher-signing-secret";

  private SigningSecret() {}

  /**
   * The configured secret when there is one; otherwise the one kept in {@code stateDir}, created on
   * first use, so links in mails already sent keep working after a restart.
   */
  public static byte[] resolve(String configured, Path stateDir) {
    if (configured != null) {
      return configured.getBytes(StandardCharsets.UTF_8);
    }
    Path file = stateDir.resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      byte[] secret = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
      log.warn("No PRESSLINE_SIGNING_SECRET set: links are signed with the generated secret in {}. "
          + "Set PRESSLINE_SIGNING_SECRET when several publisher instances run on different machines.", file);
      return secret;
    } catch (IOException | IllegalArgumentException e) {
      throw new PublisherException("cannot read or create the signing secret in " + file + ": " + e.getMessage(), e);
    }
  }

  private static void create(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String text = Base64.getEncoder().encodeToString(secret) + "\n";
    try {
      Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      return; // another instance on this folder was first: use its secret
    }
    try {
      // only the service's own user may read it
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      log.debug("File system of {} has no POSIX permissions", file);
    }
  }
}
