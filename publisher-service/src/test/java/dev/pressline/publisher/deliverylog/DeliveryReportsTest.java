package dev.pressline.publisher.deliverylog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A report's possible duplicates come from the typed field of the log entries, never from their text. */
class DeliveryReportsTest {

  private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");
  private static final KafkaSettings KAFKA = KafkaSettings.from(Settings.of(Map.of()));

  // never started: remember() fills the copy, no broker is contacted
  private final DeliveryLogView view = new DeliveryLogView(KAFKA, "reports-test");

  @Test
  void aServerReplyThatSaysPossibleDuplicateDoesNotMakeOne() {
    // the reply text is the SMTP server's to choose
    view.remember(new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, "news", "ann@example.org", DeliveryStatus.SENT,
        1, "250 2.0.0 Ok: queued; [possible duplicate] check skipped", AT));

    try (DeliveryReports reports = new DeliveryReports(view, KAFKA, "reports-test", Clock.systemUTC())) {
      assertThat(reports.report("news").sent()).isEqualTo(1);
      assertThat(reports.report("news").possibleDuplicates()).isEmpty();
    }
  }

  @Test
  void anEntryMarkedAsAPossibleDuplicateIsListedWhateverItsNoteSays() {
    view.remember(new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, "news", "bob@example.org", DeliveryStatus.SENT,
        2, "250 OK", AT, false, true));
    view.remember(new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, "news", "cy@example.org", DeliveryStatus.SENT,
        1, "250 OK", AT));

    try (DeliveryReports reports = new DeliveryReports(view, KAFKA, "reports-test", Clock.systemUTC())) {
      assertThat(reports.report("news").possibleDuplicates()).containsExactly("bob@example.org");
    }
  }
}
