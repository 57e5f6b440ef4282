package dev.pressline.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One email to send: the value on the {@code deliveries} topic, keyed by subscriber email so that
 * all mail for one person goes through one mailer partition in order.
 *
 * @param schemaVersion version of this record's JSON shape
 * @param slug the post to send
 * @param revision the post revision the fan-out was made for
 * @param email the recipient's normalised address
 * @param createdAt when the fan-out produced this job
 * @param resend part of a second mailing of the post, asked for by an update ({@link
 *     PostEvent#resend}); it has delivery-log entries of its own, so the first mailing does not stop it
 */
public record DeliveryJob(
    int schemaVersion, String slug, int revision, String email, Instant createdAt, boolean resend) {

  public static final int SCHEMA_VERSION = 1;

  public DeliveryJob {
    requireNonNull(slug, "slug");
    requireNonNull(email, "email");
    requireNonNull(createdAt, "createdAt");
  }

  /** A job of a post's first mailing. */
  public DeliveryJob(int schemaVersion, String slug, int revision, String email, Instant createdAt) {
    this(schemaVersion, slug, revision, email, createdAt, false);
  }

  /** The mailing this job belongs to, as the delivery log names it (see {@link DeliveryRecord#slug}). */
  public String mailing() {
    return resend ? DeliveryRecord.resendMailing(slug, revision) : slug;
  }

  /** The key of this job's outcome on the delivery log. */
  public String deliveryKey() {
    return DeliveryRecord.keyOf(mailing(), email);
  }
}
