package dev.pressline.ingest.claim;

import dev.pressline.support.config.InvalidSettingException;
import dev.pressline.support.config.Settings;
import java.time.Duration;

/**
 * Whether this ingest instance shares its inbox with others, and on what terms.
 *
 * @param instanceId this instance's name among those sharing the inbox, or null when it has the inbox
 *     to itself (then files are taken where they lie, without claims)
 * @param lease how long a claim whose owner stopped showing signs of life stays its owner's; after that
 *     another instance takes the claimed files over
 */
public record ClaimSettings(String instanceId, Duration lease) {

  public static final String INSTANCE_ID = "PRESSLINE_INGEST_INSTANCE_ID";
  public static final String LEASE = "PRESSLINE_INGEST_CLAIM_LEASE";

  public ClaimSettings {
    if (instanceId != null && !instanceId.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new InvalidSettingException(INSTANCE_ID, instanceId, "1 to 64 letters, digits, '_' or '-'");
    }
    if (lease == null || lease.compareTo(Duration.ofMillis(500)) < 0) {
      throw new InvalidSettingException(LEASE, String.valueOf(lease), "at least 500ms");
    }
  }

  /** One instance with the inbox to itself: no claims. */
  public static ClaimSettings single() {
    return new ClaimSettings(null, Duration.ofSeconds(30));
  }

  public static ClaimSettings from(Settings settings) {
    return new ClaimSettings(settings.optional(INSTANCE_ID), settings.duration(LEASE, Duration.ofSeconds(30)));
  }

  /** Whether files are claimed before they are taken. */
  public boolean shared() {
    return instanceId != null;
  }

  /** How often this instance shows it is alive: often enough that a few missed beats never lose a lease. */
  Duration heartbeat() {
    return lease.dividedBy(5);
  }
}
