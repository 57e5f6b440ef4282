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
 */
public record DeliveryJob(
    int schemaVersion, String slug, int revision, String email, Instant createdAt) {

  public static final int SCHEMA_VERSION = 1;

  public DeliveryJob {
    requireNonNull(slug, "slug");
    requireNonNull(email, "email");
    requireNonNull(createdAt, "createdAt");
  }

  /** The key of this job's outcome on the delivery log. */
  public String deliveryKey() {
    return DeliveryRecord.keyOf(slug, email);
  }
}
