package dev.pressline.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The outcome of one delivery: the value on the compacted {@code delivery-log} topic, keyed by
 * {@link #keyOf(String, String)}. It proves who got what and stops a re-sent job from mailing twice.
 *
 * @param schemaVersion version of this record's JSON shape
 * @param slug the mailing: the post's slug for its first mailing, {@code <slug>@r<revision>} for a
 *     second mailing an update asked for (see {@link #resendMailing})
 * @param email the recipient
 * @param status what happened
 * @param attempts how many times sending was tried
 * @param smtpReply the server's last reply, or a short description of the error
 * @param at when this outcome was recorded
 */
public record DeliveryRecord(
    int schemaVersion,
    String slug,
    String email,
    DeliveryStatus status,
    int attempts,
    String smtpReply,
    Instant at) {

  public static final int SCHEMA_VERSION = 1;

  public DeliveryRecord {
    requireNonNull(slug, "slug");
    requireNonNull(email, "email");
    requireNonNull(status, "status");
    requireNonNull(at, "at");
    smtpReply = smtpReply == null ? "" : smtpReply;
  }

  /**
   * The name of a second mailing of a post, asked for by its update to {@code revision}. Slugs hold
   * only lower-case letters, digits and hyphens, so the name never clashes with a slug.
   */
  public static String resendMailing(String slug, int revision) {
    return slug + "@r" + revision;
  }

  /** The post a mailing belongs to: the slug itself, or the part of a resend mailing before {@code @r}. */
  public static String postOf(String mailing) {
    int at = mailing.indexOf("@r");
    return at < 0 ? mailing : mailing.substring(0, at);
  }

  /** Delivery-log key for a post and a recipient. A slug never contains a space. */
  public static String keyOf(String slug, String email) {
    return slug + " " + email;
  }

  public String key() {
    return keyOf(slug, email);
  }
}
