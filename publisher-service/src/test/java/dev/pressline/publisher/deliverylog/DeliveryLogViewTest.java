package dev.pressline.publisher.deliverylog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.publisher.delivery.Delivery;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
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

  @Test
  void anEntryReadBackAfterItWasRememberedIsNotParsedAgain() {
    DeliveryRecord sending = record("news", "ann@example.org", DeliveryStatus.SENDING, 1, Delivery.IN_FLIGHT, AT);
    DeliveryRecord sent = record("news", "ann@example.org", DeliveryStatus.SENT, 1, "250 OK", AT.plusMillis(40));
    view.remember(sending);
    view.remember(sent);

    assertThat(view.mayChange(sent.key(), stampFromTopic(sent))).isFalse();
    assertThat(view.mayChange(sending.key(), stampFromTopic(sending))).isFalse();
  }

  @Test
  void anEntryThatCanChangeTheCopyIsParsed() {
    DeliveryRecord sending = record("news", "ann@example.org", DeliveryStatus.SENDING, 1, Delivery.IN_FLIGHT, AT);
    view.remember(sending);
    // another instance's later outcome, one at the same instant that settles it, an unknown key
    DeliveryRecord later = record("news", "ann@example.org", DeliveryStatus.SENDING, 2, Delivery.IN_FLIGHT,
        AT.plusNanos(1_000));
    DeliveryRecord settles = record("news", "ann@example.org", DeliveryStatus.FAILED, 1, "550 no", AT);
    DeliveryRecord unknown = record("news", "bob@example.org", DeliveryStatus.SENT, 1, "250 OK", AT.minusSeconds(5));

    assertThat(view.mayChange(later.key(), stampFromTopic(later))).isTrue();
    assertThat(view.mayChange(settles.key(), stampFromTopic(settles))).isTrue();
    assertThat(view.mayChange(unknown.key(), stampFromTopic(unknown))).isTrue();
    // written without a stamp (an older version): always parsed
    assertThat(view.mayChange(sending.key(), EntryStamp.in(new RecordHeaders()))).isTrue();
  }

  @Test
  void afterARestartEveryEntryIsParsed() {
    DeliveryRecord sent = record("news", "ann@example.org", DeliveryStatus.SENT, 1, "250 OK", AT);
    view.remember(sent);
    DeliveryLogView restarted = new DeliveryLogView(KafkaSettings.from(Settings.of(Map.of())), "view-test");

    assertThat(restarted.mayChange(sent.key(), stampFromTopic(sent))).isTrue();
  }

  /** The stamp as the view reads it: written into headers by the writer's form, read back from bytes. */
  private static EntryStamp stampFromTopic(DeliveryRecord record) {
    RecordHeaders headers = new RecordHeaders();
    EntryStamp.headersOf(record).forEach(h -> headers.add(h.key(), h.value().clone()));
    return EntryStamp.in(headers);
  }

  private static DeliveryRecord record(String mailing, String email, DeliveryStatus status, int attempts,
      String reply, Instant at) {
    return new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, mailing, email, status, attempts, reply, at);
  }
}
