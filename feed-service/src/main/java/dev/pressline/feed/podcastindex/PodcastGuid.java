package dev.pressline.feed.podcastindex;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.UUID;

/**
 * Name-based (version 5, SHA-1) UUIDs as the Podcasting 2.0 {@code podcast:guid} tag defines them:
 * the feed URL without its scheme and trailing slashes, in the podcast namespace. A show keeps this
 * id when its feed moves, so it is computed once and can be pinned in the settings.
 */
public final class PodcastGuid {

  /** The namespace the Podcasting 2.0 specification fixes for feed GUIDs. */
  public static final UUID PODCAST_NAMESPACE =
      UUID.fromString("ead4c236-bf58-58c6-a2c6-a6b28d128cb6");

  private PodcastGuid() {}

  /** The podcast:guid of a feed at {@code feedUrl}. */
  public static UUID forFeedUrl(String feedUrl) {
    String name = feedUrl.replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "").replaceFirst("/+$", "");
    return uuid5(PODCAST_NAMESPACE, name);
  }

  /** A version 5 UUID of {@code name} (UTF-8) in {@code namespace}, per RFC 9562 section 5.5. */
  public static UUID uuid5(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-1", e);
    }
    ByteBuffer ns = ByteBuffer.allocate(16);
    ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
    sha1.update(ns.array());
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
    ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bytes.getLong(), bytes.getLong());
  }

  static String text(UUID uuid) {
    return uuid.toString().toLowerCase(Locale.ROOT);
  }
}
