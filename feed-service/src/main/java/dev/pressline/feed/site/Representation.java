package dev.pressline.feed.site;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * Bytes ready to serve, with everything HTTP caching needs, computed once when the site changes:
 * the plain and gzip bodies, a strong ETag for each, and the last-modified time in whole seconds.
 */
public record Representation(
    byte[] body,
    byte[] gzipped,
    String contentType,
    String etag,
    String gzipEtag,
    Instant lastModified) {

  public Representation {
    requireNonNull(body, "body");
    requireNonNull(gzipped, "gzipped");
    requireNonNull(contentType, "contentType");
    requireNonNull(etag, "etag");
    requireNonNull(gzipEtag, "gzipEtag");
    requireNonNull(lastModified, "lastModified");
  }

  public static Representation of(byte[] body, String contentType, Instant lastModified) {
    return of(body, gzip(body), contentType, lastModified);
  }

  /** With the gzip body made already (a feed page assembles it from compressed items). */
  public static Representation of(
      byte[] body, byte[] gzipped, String contentType, Instant lastModified) {
    String hash = sha256(body);
    return new Representation(
        body,
        gzipped,
        contentType,
        "\"" + hash + "\"",
        // the gzip body is a different representation and needs its own strong validator
        "\"" + hash + "-gzip\"",
        lastModified.truncatedTo(ChronoUnit.SECONDS));
  }

  private static String sha256(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
