package dev.pressline.publisher.deliverylog;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.DeliveryJob;
import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.events.EventJson;
import dev.pressline.publisher.PublisherException;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Per-post delivery figures from the delivery log, and re-sending what failed. */
public final class DeliveryReports implements AutoCloseable {

  private final DeliveryLogView logView;
  private final KafkaProducer<String, DeliveryJob> producer;
  private final String deliveries;
  private final Clock clock;

  public DeliveryReports(DeliveryLogView logView, KafkaSettings kafka, String clientId, Clock clock) {
    this.logView = requireNonNull(logView, "logView");
    this.producer = new KafkaProducer<>(ClientProperties.producer(kafka, clientId), new StringSerializer(),
        JsonSerde.serializer(new EventJson()));
    this.deliveries = kafka.topics().deliveries();
    this.clock = requireNonNull(clock, "clock");
  }

  public PostReport report(String slug) {
    List<DeliveryRecord> records = records(slug);
    String fanOut = logView.get(DeliveryRecord.keyOf(slug, DeliveryRecord.MARKER_RECIPIENT))
        .map(DeliveryRecord::smtpReply).orElse("");
    List<String> duplicates = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> bounced = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    int sent = 0;
    for (DeliveryRecord r : records) {
      switch (r.status()) {
        case SENT -> {
          sent++;
          if (r.possibleDuplicate()) {
            duplicates.add(r.email());
          }
        }
        case FAILED -> failed.add(r.email() + ": " + r.smtpReply());
        case BOUNCED -> bounced.add(r.email() + ": " + r.smtpReply());
        case SENDING -> pending.add(r.email() + ": " + r.smtpReply());
        default -> throw new IllegalStateException("unknown status " + r.status());
      }
    }
    return new PostReport(slug, fanOut, sent, pending.size(), failed.size(), bounced.size(), duplicates, failed,
        bounced, pending);
  }

  /** Queues a new job for every failed delivery of the mailing (a slug, or {@code <slug>@r<n>}); returns how many. */
  public int retryFailed(String slug) {
    List<DeliveryRecord> failed = records(slug).stream().filter(r -> r.status() == DeliveryStatus.FAILED).toList();
    for (DeliveryRecord r : failed) {
      DeliveryJob job = jobFor(slug, r.email());
      producer.send(new ProducerRecord<>(deliveries, r.email(), job));
    }
    producer.flush();
    return failed.size();
  }

  /** A new job of the mailing, created now, so it is newer than the failure and the mailer takes it. */
  private DeliveryJob jobFor(String mailing, String email) {
    String post = DeliveryRecord.postOf(mailing);
    if (post.equals(mailing)) {
      return new DeliveryJob(DeliveryJob.SCHEMA_VERSION, post, 1, email, clock.instant());
    }
    int revision = Integer.parseInt(mailing.substring(post.length() + "@r".length()));
    return new DeliveryJob(DeliveryJob.SCHEMA_VERSION, post, revision, email, clock.instant(), true);
  }

  private List<DeliveryRecord> records(String slug) {
    String prefix = DeliveryRecord.keyOf(slug, "");
    return logView.withKeys(key -> key.startsWith(prefix)).stream()
        .filter(r -> !DeliveryRecord.MARKER_RECIPIENT.equals(r.email()))
        .sorted(Comparator.comparing(DeliveryRecord::email))
        .toList();
  }

  @Override
  public void close() {
    producer.close();
  }
}
