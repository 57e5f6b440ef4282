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
 * @param smtpReply the server's last reply, or a short description of the error; for people to read,
 *     never for deciding anything (a server may answer with any text)
 * @param at when this outcome was recorded
 * @param inFlight a SENDING entry written just before an SMTP attempt: if nothing follows it, the
 *     attempt was cut off and may have delivered the message (since version 2)
 * @param possibleDuplicate an earlier attempt may have reached the server, so the subscriber may get
 *     the message twice: carried by the retry entries of such a delivery and by its final entry
 *     (since version 2)
 */
public record DeliveryRecord(
    int schemaVersion,
    String slug,
    String email,
    DeliveryStatus status,
    int attempts,
    String smtpReply,
    Instant at,
    boolean inFlight,
    boolean possibleDuplicate) {

  /**
   * The recipient of a mailing's fan-out marker, the entry that says what became of the mailing as a
   * whole (scheduled, fanned out, withdrawn) beside the entries of its subscribers; never a valid
   * address, so it cannot clash with one.
   */
  public static final String MARKER_RECIPIENT = "*";

  /** Version 2 added {@code inFlight} and {@code possibleDuplicate}; version 1 said both in the note. */
  public static final int SCHEMA_VERSION = 2;

  /** How version 1 began the note of an entry written just before an SMTP attempt. */
  private static final String V1_IN_FLIGHT = "handing to SMTP";
  /** How version 1 marked a possible duplicate inside the note. */
  private static final String V1_POSSIBLE_DUPLICATE = "[possible duplicate";

  public DeliveryRecord {
    requireNonNull(slug, "slug");
    requireNonNull(email, "email");
    requireNonNull(status, "status");
    requireNonNull(at, "at");
    smtpReply = smtpReply == null ? "" : smtpReply;
    if (schemaVersion < 2) {
      // written before the fields existed (the log is compacted, such entries stay): the one place
      // where the note is read, in the words version 1 wrote it
      inFlight = status == DeliveryStatus.SENDING && smtpReply.startsWith(V1_IN_FLIGHT);
      possibleDuplicate = smtpReply.contains(V1_POSSIBLE_DUPLICATE);
    }
  }

  /** An entry that leaves no doubt: not in flight, no possible duplicate. */
  public DeliveryRecord(int schemaVersion, String slug, String email, DeliveryStatus status, int attempts,
      String smtpReply, Instant at) {
    this(schemaVersion, slug, email, status, attempts, smtpReply, at, false, false);
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
