package dev.pressline.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.console.chart.LineChart;
import dev.pressline.events.DeliveryJob;
import dev.pressline.events.FileOutcome;
import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the console's views make of the records they read. */
class ViewsTest {

  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void aFanOutIsTheEarliestBatchOfAMailingAndRetriesAreNotCountedAgain() {
    FanOutSizes sizes = new FanOutSizes();
    for (String who : List.of("a@x.org", "b@x.org", "c@x.org")) {
      sizes.onRecord(who, new DeliveryJob(1, "post", 1, who, T));
    }
    sizes.onRecord("b@x.org", new DeliveryJob(1, "post", 1, "b@x.org", T.plusSeconds(600)));
    sizes.onRecord("a@x.org", new DeliveryJob(1, "post", 2, "a@x.org", T.plusSeconds(900), true));
    assertThat(sizes.recipients("post")).hasValue(3);
    assertThat(sizes.recipients("post@r2")).hasValue(1);
    assertThat(sizes.recipients("other")).isEmpty();
    assertThat(sizes.resendsOf("post")).as("the second mailing of revision 2, with its fan-out's time")
        .containsExactly(java.util.Map.entry(2, T.plusSeconds(900)));
    assertThat(sizes.resendsOf("pos")).as("another post's mailings are not this one's").isEmpty();
  }

  @Test
  void growthCountsConfirmationsAndLossesPerDay() {
    Subscribers subscribers = new Subscribers();
    subscribers.onRecord("a", new SubscriberEvent(1, "a", SubscriberStatus.PENDING, T, "web"));
    subscribers.onRecord("a", new SubscriberEvent(1, "a", SubscriberStatus.CONFIRMED, T.plusSeconds(60), "web"));
    subscribers.onRecord("b", new SubscriberEvent(1, "b", SubscriberStatus.CONFIRMED, T.plus(Duration.ofDays(1)), "import"));
    subscribers.onRecord("a", new SubscriberEvent(1, "a", SubscriberStatus.UNSUBSCRIBED, T.plus(Duration.ofDays(2)), "web"));
    LocalDate day = LocalDate.parse("2026-12-03");
    assertThat(subscribers.confirmedPerDay(day, 4)).containsExactly(0, 1, 2, 1);
    assertThat(subscribers.countsByStatus()).containsEntry(SubscriberStatus.CONFIRMED, 1)
        .containsEntry(SubscriberStatus.UNSUBSCRIBED, 1).containsEntry(SubscriberStatus.PENDING, 0);
    assertThat(subscribers.history("a")).extracting(SubscriberEvent::status)
        .containsExactly(SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.CONFIRMED, SubscriberStatus.PENDING);
  }

  @Test
  void aWaitingFileLeavesTheWaitingListWhenItIsTakenOrGone() {
    Inbox inbox = new Inbox();
    inbox.onRecord("ep.md", new FileOutcome(1, FileOutcome.Kind.WAITING, "ep.md", "ep", "waiting for ep.mp3", T));
    inbox.onRecord("x.md", new FileOutcome(1, FileOutcome.Kind.WAITING, "x.md", null, "waiting for x.mp3", T));
    assertThat(inbox.waiting()).extracting(FileOutcome::file).containsExactly("ep.md", "x.md");
    inbox.onRecord("ep.md", new FileOutcome(1, FileOutcome.Kind.PUBLISHED, "ep.md", "ep", "published", T));
    inbox.onRecord("x.md", new FileOutcome(1, FileOutcome.Kind.WAITING, "x.md", null, "gone", T));
    inbox.onRecord("bad.md", new FileOutcome(1, FileOutcome.Kind.REJECTED, "bad.md", null, "rejected: no title", T));
    assertThat(inbox.waiting()).isEmpty();
    assertThat(inbox.latest(null, 10)).extracting(FileOutcome::file).containsExactly("bad.md", "ep.md");
    assertThat(inbox.latest(FileOutcome.Kind.REJECTED, 10)).singleElement()
        .satisfies(o -> assertThat(o.reason()).isEqualTo("rejected: no title"));
  }

  @Test
  void theChartScalesItsLineIntoTheViewBox() {
    LineChart chart = LineChart.of(List.of(0, 5, 10), LocalDate.parse("2026-12-03"));
    assertThat(chart.points()).isEqualTo("0.0,152.0 300.0,80.0 600.0,8.0");
    assertThat(chart.firstDay()).isEqualTo(LocalDate.parse("2026-12-01"));
    assertThat(chart.max()).isEqualTo(10);
    assertThat(LineChart.of(List.of(4, 4), LocalDate.parse("2026-12-03")).points())
        .as("a flat line sits inside the box, not on its edge").isEqualTo("0.0,8.0 600.0,8.0");
  }

  @Test
  void timeLeftReadsAsAPersonWouldSayIt() {
    assertThat(DeliveryProgress.words(Duration.ofSeconds(42))).isEqualTo("42 s");
    assertThat(DeliveryProgress.words(Duration.ofSeconds(125))).isEqualTo("2 min 5 s");
    assertThat(DeliveryProgress.words(Duration.ofMinutes(135))).isEqualTo("2 h 15 min");
  }
}
