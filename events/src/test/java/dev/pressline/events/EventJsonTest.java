package dev.pressline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {

  private final EventJson json = new EventJson();

  @Test
  void postEventSurvivesRoundTripWithTypographicCharacters() {
    PostEvent post =
        PostEvent.builder()
            .change(PostChange.PUBLISHED)
            .slug("dont-panic")
            .title("Don’t panic – “really”…")
            .author("Ada")
            .summary("A summary")
            .html("<p>Body</p>")
            .text("Body")
            .publishAt(Instant.parse("2026-11-22T10:00:00Z"))
            .tags(List.of("advice"))
            .audio(new MediaRef("ab12.mp3", "audio/mpeg", 1234, 61L))
            .email(true)
            .episode(3)
            .contentHash("ab12")
            .sourceFile("post.txt")
            .ingestedAt(Instant.parse("2026-11-22T10:00:01Z"))
            .build();

    byte[] bytes = json.write(post);

    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"publishAt\":\"2026-11-22T10:00:00Z\"");
    assertThat(json.read(bytes, PostEvent.class)).isEqualTo(post);
  }

  @Test
  void toleratesFieldsAddedByNewerProducers() {
    String newer =
        "{\"schemaVersion\":2,\"email\":\"a@example.org\",\"status\":\"CONFIRMED\","
            + "\"changedAt\":\"2026-01-01T00:00:00Z\",\"source\":\"web\",\"locale\":\"de\"}";

    SubscriberEvent event = json.read(newer.getBytes(StandardCharsets.UTF_8), SubscriberEvent.class);

    assertThat(event.status()).isEqualTo(SubscriberStatus.CONFIRMED);
    assertThat(event.email()).isEqualTo("a@example.org");
  }

  @Test
  void eventsWrittenBeforeResendExistedReadAsFirstMailings() {
    String olderPost = "{\"schemaVersion\":1,\"change\":\"UPDATED\",\"slug\":\"s\",\"revision\":2,\"title\":\"T\","
        + "\"publishAt\":\"2026-01-01T00:00:00Z\",\"email\":true}";
    String olderJob = "{\"schemaVersion\":1,\"slug\":\"s\",\"revision\":1,\"email\":\"a@example.org\","
        + "\"createdAt\":\"2026-01-01T00:00:00Z\"}";

    assertThat(json.read(olderPost.getBytes(StandardCharsets.UTF_8), PostEvent.class).resend()).isFalse();
    DeliveryJob job = json.read(olderJob.getBytes(StandardCharsets.UTF_8), DeliveryJob.class);
    assertThat(job.resend()).isFalse();
    assertThat(job.deliveryKey()).as("the key the delivery log has always used").isEqualTo("s a@example.org");
  }

  @Test
  void deliveryLogEntriesOfVersionOneReadTheirDoubtFromTheNoteAndLaterOnesFromTheirFields() {
    String inFlight = "{\"schemaVersion\":1,\"slug\":\"s\",\"email\":\"a@example.org\",\"status\":\"SENDING\","
        + "\"attempts\":1,\"smtpReply\":\"handing to SMTP (attempt 1)\",\"at\":\"2026-01-01T00:00:00Z\"}";
    String doubtful = "{\"schemaVersion\":1,\"slug\":\"s\",\"email\":\"a@example.org\",\"status\":\"SENT\","
        + "\"attempts\":2,\"smtpReply\":\"250 OK [possible duplicate: an earlier attempt was in flight]\","
        + "\"at\":\"2026-01-01T00:00:00Z\"}";
    String plain = "{\"schemaVersion\":1,\"slug\":\"s\",\"email\":\"a@example.org\",\"status\":\"SENT\","
        + "\"attempts\":1,\"smtpReply\":\"250 OK\",\"at\":\"2026-01-01T00:00:00Z\"}";

    DeliveryRecord old = json.read(inFlight.getBytes(StandardCharsets.UTF_8), DeliveryRecord.class);
    assertThat(old.inFlight()).isTrue();
    assertThat(old.possibleDuplicate()).isFalse();
    assertThat(json.read(doubtful.getBytes(StandardCharsets.UTF_8), DeliveryRecord.class).possibleDuplicate()).isTrue();
    assertThat(json.read(plain.getBytes(StandardCharsets.UTF_8), DeliveryRecord.class))
        .extracting(DeliveryRecord::inFlight, DeliveryRecord::possibleDuplicate).containsExactly(false, false);

    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    DeliveryRecord current = new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, "s", "a@example.org",
        DeliveryStatus.SENT, 2, "250 OK [possible duplicate] says the server", at, false, false);
    assertThat(json.read(json.write(current), DeliveryRecord.class)).isEqualTo(current)
        .extracting(DeliveryRecord::possibleDuplicate).isEqualTo(false);
    DeliveryRecord flagged = new DeliveryRecord(DeliveryRecord.SCHEMA_VERSION, "s", "a@example.org",
        DeliveryStatus.SENDING, 1, "attempt 1", at, true, true);
    assertThat(json.read(json.write(flagged), DeliveryRecord.class)).isEqualTo(flagged);
  }

  @Test
  void aSecondMailingHasDeliveryLogKeysOfItsOwn() {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    DeliveryJob first = new DeliveryJob(1, "news", 3, "a@example.org", at);
    DeliveryJob again = new DeliveryJob(1, "news", 3, "a@example.org", at, true);

    assertThat(again.deliveryKey()).isNotEqualTo(first.deliveryKey()).isEqualTo("news@r3 a@example.org");
    assertThat(DeliveryRecord.postOf(again.mailing())).isEqualTo("news");
    assertThat(DeliveryRecord.postOf(first.mailing())).isEqualTo("news");
    assertThat(json.read(json.write(again), DeliveryJob.class)).isEqualTo(again);
  }

  @Test
  void rejectsGarbageWithTheExpectedTypeInTheMessage() {
    assertThatThrownBy(() -> json.read("not json".getBytes(StandardCharsets.UTF_8), DeliveryJob.class))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("DeliveryJob");
  }

  @Test
  void retractedPostIsNotVisibleAndScheduledPostWaitsForItsTime() {
    Instant at = Instant.parse("2026-11-22T10:00:00Z");
    PostEvent scheduled = minimal(PostChange.PUBLISHED, at);
    PostEvent retracted = minimal(PostChange.RETRACTED, at);

    assertThat(scheduled.isVisibleAt(at.minusSeconds(1))).isFalse();
    assertThat(scheduled.isVisibleAt(at)).isTrue();
    assertThat(retracted.isVisibleAt(at.plusSeconds(60))).isFalse();
  }

  private static PostEvent minimal(PostChange change, Instant publishAt) {
    return PostEvent.builder()
        .schemaVersion(1)
        .change(change)
        .slug("s")
        .title("T")
        .publishAt(publishAt)
        .email(true)
        .contentHash("h")
        .sourceFile("f.txt")
        .ingestedAt(publishAt)
        .build();
  }
}
