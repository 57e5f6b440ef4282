package dev.pressline.publisher.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import java.time.Instant;
import java.util.Random;
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

  @Test
  void theConfirmedCountFollowsEveryChangeOfState() {
    SubscriberList list = new SubscriberList();
    Random random = new Random(7);
    SubscriberStatus[] states = SubscriberStatus.values();
    for (int i = 0; i < 5_000; i++) {
      String address = "reader" + random.nextInt(50) + "@example.org";
      if (random.nextInt(8) == 0) {
        list.onRecord(address, null);
      } else if (random.nextInt(20) == 0) {
        // refused, so it changes nothing
        list.onRecord(address, confirmed("other@example.org"));
      } else {
        list.onRecord(address, new SubscriberEvent(SubscriberEvent.SCHEMA_VERSION, address,
            states[random.nextInt(states.length)], AT, "test"));
      }
      assertThat(list.confirmedCount()).as("after event %d", i).isEqualTo(list.confirmed().size());
    }
  }

  private static SubscriberEvent confirmed(String email) {
    return new SubscriberEvent(SubscriberEvent.SCHEMA_VERSION, email, SubscriberStatus.CONFIRMED, AT, "test");
  }
}
