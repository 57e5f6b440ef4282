package dev.pressline.publisher.deliverylog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.publisher.delivery.Delivery;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory side of the view: what it keeps of each outcome and which outcome wins. */
class DeliveryLogViewTest {

  private static final Instant AT = Instant.parse("2026-11-22T10:00:00.123456789Z");

  // never started: remember() alone exercises the copy, no broker is contacted
  private final DeliveryLogView view =
      new DeliveryLogView(KafkaSettings.from(Settings.of(Map.of())), "view-test");

  @Test
  void aPlainSentKeepsEverythingButTheServerReply() {
    view.remember(record("news", "ann@example.org", DeliveryStatus.SENT, 2, "250 2.0.0 Ok: queued as 4FJ2", AT));

    DeliveryRecord back = view.get("news ann@example.org").orElseThrow();

    assertThat(back).isEqualTo(
        record("news", "ann@example.org", DeliveryStatus.SENT, 2, DeliveryLogView.REPLY_NOT_KEPT, AT));
  }

  @Test
  void whatAReportNeedsToSayIsKeptInFull() {
    DeliveryRecord duplicate = new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, "news@r3", "bob@example.org",
        DeliveryStatus.SENT, 2, "250 OK [" + Delivery.POSSIBLE_DUPLICATE + ": an earlier attempt may have reached "
        + "the server]", AT, false, true);
    // written before the typed field existed: its note says it
    DeliveryRecord olderDuplicate = new DeliveryRecord(1, "news@r2", "bob@example.org", DeliveryStatus.SENT, 2,
        "250 OK [" + Delivery.POSSIBLE_DUPLICATE + ": an earlier attempt was in flight when a mailer stopped]", AT);
    DeliveryRecord failed = record("news", "cy@example.org", DeliveryStatus.FAILED, 5, "452 mailbox full", AT);
    DeliveryRecord marker = record("news", "*", DeliveryStatus.SENT, 0, "fanned out to 3 subscribers", AT);
    view.remember(duplicate);
    view.remember(olderDuplicate);
    view.remember(failed);
    view.remember(marker);

    assertThat(view.get(duplicate.key())).contains(duplicate);
    assertThat(view.get(olderDuplicate.key()).orElseThrow().possibleDuplicate()).isTrue();
    assertThat(view.get(failed.key())).contains(failed);
    assertThat(view.get(marker.key())).contains(marker);
    assertThat(view.withKeys(key -> key.startsWith("news "))).containsExactlyInAnyOrder(failed, marker);
  }

  @Test
  void anOlderStateReadBackLaterDoesNotReplaceANewerOne() {
    view.remember(record("news", "ann@example.org", DeliveryStatus.SENT, 1, "250 OK", AT));
    view.remember(record("news", "ann@example.org", DeliveryStatus.SENDING, 1, Delivery.IN_FLIGHT, AT.minusMillis(5)));
    view.remember(record("news", "ann@example.org", DeliveryStatus.SENDING, 1, Delivery.IN_FLIGHT, AT));

    assertThat(view.get("news ann@example.org").orElseThrow().status()).isEqualTo(DeliveryStatus.SENT);
  }

  private static DeliveryRecord record(String mailing, String email, DeliveryStatus status, int attempts,
      String reply, Instant at) {
    return new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, mailing, email, status, attempts, reply, at);
  }
}
