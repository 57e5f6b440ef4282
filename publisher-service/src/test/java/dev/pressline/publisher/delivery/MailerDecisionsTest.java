package dev.pressline.publisher.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.DeliveryJob;
import dev.pressline.support.health.StallWatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mailer's decisions without a broker: what it commits, when it retries, what it skips. The
 * real-broker tests (MailerCrashTest, ScaleOutTest, PublisherDeliveryTest) cover the same paths end to end.
 */
class MailerDecisionsTest {

  private static final String TOPIC = "deliveries";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

  private final MockConsumer<String, DeliveryJob> consumer = new MockConsumer<>("earliest");
  private final ScriptedDeliverer deliverer = new ScriptedDeliverer();
  private final AtomicInteger flushes = new AtomicInteger();
  private Mailer mailer;

  @AfterEach
  void stop() {
    if (mailer != null) {
      mailer.close();
    }
  }

  @Test
  void aJobIsCommittedPastOnlyOnceItsOutcomeIsDurable() throws Exception {
    CompletableFuture<Void> outcome = new CompletableFuture<>();
    deliverer.answer("a@example.com", Delivery.Result.done(outcome));
    start();
    add(0, "a@example.com");

    await().atMost(Duration.ofSeconds(10)).until(() -> deliverer.calls("a@example.com") == 1);
    // several commit intervals pass: the outcome is not durable, so the job's offset stays open
    Thread.sleep(1_500);
    assertThat(committed()).as("nothing committed past a job whose outcome is on its way").isIn(null, 0L);

    outcome.complete(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(1).equals(committed()));
    assertThat(flushes.get()).as("the log is flushed before offsets are committed").isPositive();
  }

  @Test
  void aRetryStartsOnlyOnceTheFailedAttemptsNoteIsDurable() throws Exception {
    CompletableFuture<Void> note = new CompletableFuture<>();
    deliverer.answer("b@example.com", Delivery.Result.retryAfter(Duration.ZERO, note));
    start();
    add(0, "b@example.com");

    await().atMost(Duration.ofSeconds(10)).until(() -> deliverer.calls("b@example.com") == 1);
    Thread.sleep(500);
    assertThat(deliverer.calls("b@example.com")).as("no second attempt before the first one's note is on record")
        .isEqualTo(1);

    deliverer.answer("b@example.com", Delivery.Result.DONE);
    note.complete(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> deliverer.calls("b@example.com") == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(1).equals(committed()));
  }

  @Test
  void anAddressNoMailCanGoToIsSkippedAndCommittedPast() throws Exception {
    start();
    add(0, "Someone <c@example.com>");
    add(1, "d@example.com");

    await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(2).equals(committed()));
    assertThat(deliverer.calls("Someone <c@example.com>")).isZero();
    assertThat(deliverer.calls("d@example.com")).isEqualTo(1);
  }

  @Test
  void aJobWhoseWriterClosedBeforeItsOutcomeWasTakenStaysOpenForTheNextOwner() throws Exception {
    CompletableFuture<Void> lost = new CompletableFuture<>();
    deliverer.answer("e@example.com", Delivery.Result.done(lost));
    start();
    add(0, "e@example.com");
    add(1, "f@example.com");

    await().atMost(Duration.ofSeconds(10)).until(() -> deliverer.calls("f@example.com") == 1);
    lost.completeExceptionally(new IllegalStateException("writer closed"));
    Thread.sleep(1_500);
    assertThat(committed()).as("the job at 0 is read again by whoever owns the partition next").isIn(null, 0L);
  }

  private void start() throws InterruptedException {
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    StallWatch watch = new StallWatch("mailer", Clock.systemUTC(), Duration.ofMinutes(1));
    StallWatch sendWatch = new StallWatch("smtp", Clock.systemUTC(), Duration.ofMinutes(1));
    mailer = new Mailer(TOPIC, "test-mailer", () -> consumer, 4, deliverer, new Mailer.Log() {
      @Override
      public boolean syncToEnd(Duration timeout) {
        return true;
      }

      @Override
      public void flush() {
        flushes.incrementAndGet();
      }
    }, watch, sendWatch).start();
    assertThat(mailer.awaitRunning(Duration.ofSeconds(10))).isTrue();
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));
    await().atMost(Duration.ofSeconds(10)).until(() -> mailer.assignedPartitions() == 1);
  }

  private void add(long offset, String email) {
    DeliveryJob job = new DeliveryJob(DeliveryJob.SCHEMA_VERSION, "a-post", 1, email, Instant.now());
    consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, email, job)));
  }

  private Long committed() {
    OffsetAndMetadata offset = consumer.committed(Set.of(P0)).get(P0);
    return offset == null ? null : offset.offset();
  }

  /** Answers each address with what the test set, DONE otherwise, and counts the calls. */
  private static final class ScriptedDeliverer implements Mailer.Deliverer {
    private final Map<String, Delivery.Result> answers = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    void answer(String email, Delivery.Result result) {
      answers.put(email, result);
    }

    int calls(String email) {
      return (int) calls.stream().filter(email::equals).count();
    }

    @Override
    public Delivery.Result deliver(DeliveryJob job) {
      calls.add(job.email());
      return answers.getOrDefault(job.email(), Delivery.Result.DONE);
    }

    @Override
    public void stop() {}
  }
}
