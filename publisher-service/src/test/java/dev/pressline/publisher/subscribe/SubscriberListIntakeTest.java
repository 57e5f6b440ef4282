package dev.pressline.publisher.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What the subscriber list takes from the topic: only events keyed by their own plain, normalised
 * address. Anything else (written by a broken or older program) never becomes a recipient.
 */
class SubscriberListIntakeTest {

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void onlyPlainNormalisedAddressesUnderTheirOwnKeyBecomeRecipients() {
    SubscriberList list = new SubscriberList();
    String[] refused = {
        "", "a@victim.example\r\nBcc: victim@victim.example", "Someone <victim@victim.example>",
        "a@victim.example, victim@victim.example", "\"victim\r\n\"@victim.example", "vic tim@victim.example",
        "victim\u0000@victim.example", "vïctim@victim.example", "victim@@victim.example", "Victim@VICTIM.EXAMPLE"};
    for (String address : refused) {
      list.onRecord(address, confirmed(address));
    }
    list.onRecord("reader@example.org", confirmed("other@example.org"));
    list.onRecord(null, confirmed("keyless@example.org"));
    list.onRecord(null, null);
    list.onRecord("reader@example.org", confirmed("reader@example.org"));

    assertThat(list.confirmed()).containsExactly("reader@example.org");
  }

  @Test
  void aTombstoneStillRemovesASubscriber() {
    SubscriberList list = new SubscriberList();
    list.onRecord("reader@example.org", confirmed("reader@example.org"));
    list.onRecord("reader@example.org", null);
    assertThat(list.confirmed()).isEmpty();
  }

  private static SubscriberEvent confirmed(String email) {
    return new SubscriberEvent(SubscriberEvent.SCHEMA_VERSION, email, SubscriberStatus.CONFIRMED, AT, "test");
  }
}
