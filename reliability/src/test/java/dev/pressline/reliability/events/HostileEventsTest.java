package dev.pressline.reliability.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.events.DeliveryJob;
import dev.pressline.events.EventJson;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.IngestService;
import dev.pressline.publisher.PublisherConfig;
import dev.pressline.publisher.PublisherService;
import dev.pressline.publisher.subscribe.EmailAddress;
import dev.pressline.reliability.events.ExtremeEvents.Raw;
import dev.pressline.reliability.process.FreePort;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A property, checked over a few seeds with {@link ExtremeEvents}: whatever a broken or older producer
 * writes to the topics a service consumes, the service keeps working. The real services run on a real
 * broker and SMTP server; the extreme records go straight onto their topics, some before the service
 * starts (its rebuild) and some while it runs (its following); then a normal subscriber and a normal
 * post (or a normal file) must go through as if nothing had happened.
 */
@ExtendWith(KafkaBrokerExtension.class)
class HostileEventsTest {

  /** Records of each type per seed and consumer; a quarter before the service starts. */
  private static final int PER_TYPE = Integer.getInteger("pressline.events.perType", 60);
  private static final int SEEDS = Integer.getInteger("pressline.events.seeds", 3);
  private static final String SIGNING_SECRET = "hostile-events-signing-secret-0123456789";

  @RegisterExtension
  static final GreenMailExtension smtp =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

  private final Http http = new Http();

  @Test
  void thePublisherSurvivesExtremeEventsOnEveryTopicItReads(KafkaBroker broker, @TempDir Path dir) throws Exception {
    for (long seed : ExtremeEvents.seeds(SEEDS)) {
      System.out.printf("HostileEventsTest publisher: seed %d (-Dpressline.events.seed=%d repeats it)%n", seed, seed);
      checkPublisher(broker.freshSettings(), seed, dir.resolve("p" + seed));
    }
  }

  @Test
  void ingestStillPublishesAfterExtremePostsOnItsTopic(KafkaBroker broker, @TempDir Path dir) throws Exception {
    for (long seed : ExtremeEvents.seeds(SEEDS)) {
      System.out.printf("HostileEventsTest ingest: seed %d (-Dpressline.events.seed=%d repeats it)%n", seed, seed);
      checkIngest(broker.freshSettings(), seed, dir.resolve("i" + seed));
    }
  }

  // ---------------------------------------------------------------- publisher

  private void checkPublisher(KafkaSettings kafka, long seed, Path root) throws Exception {
    new TopicSetup(kafka).ensureTopics();
    ExtremeEvents gen = new ExtremeEvents(seed);
    List<Sent> records = new ArrayList<>();
    for (Raw raw : gen.posts(PER_TYPE)) {
      records.add(new Sent(kafka.topics().posts(), raw));
    }
    for (Raw raw : gen.subscribers(PER_TYPE)) {
      records.add(new Sent(kafka.topics().subscribers(), raw));
    }
    for (Raw raw : gen.deliveryJobs(PER_TYPE)) {
      records.add(new Sent(kafka.topics().deliveries(), raw));
    }
    for (Raw raw : gen.deliveryRecords(PER_TYPE)) {
      records.add(new Sent(kafka.topics().deliveryLog(), raw));
    }
    Collections.shuffle(records, new Random(seed));
    int beforeStart = records.size() / 4;

    String instance = "hostile";
    Map<String, String> values = new HashMap<>();
    values.put(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers());
    values.put(KafkaSettings.TOPIC_PREFIX, kafka.topics().prefix());
    values.put(KafkaSettings.DELIVERIES_PARTITIONS, Integer.toString(kafka.deliveriesPartitions()));
    values.put(PublisherConfig.PORT, "0");
    values.put(PublisherConfig.SMTP_HOST, "127.0.0.1");
    values.put(PublisherConfig.SMTP_PORT, Integer.toString(smtp.getSmtp().getPort()));
    values.put(PublisherConfig.SMTP_RETRY_BACKOFF, "100ms");
    values.put(PublisherConfig.SMTP_MAX_RETRY_BACKOFF, "1s");
    values.put(PublisherConfig.SIGNING_SECRET, SIGNING_SECRET);
    values.put(PublisherConfig.STATE_DIR, root.resolve("state").toString());
    values.put(PublisherConfig.INSTANCE_ID, instance);
    values.put("PRESSLINE_PUBLIC_BASE_URL", "https://feed.example.org");
    PublisherConfig config = PublisherConfig.from(Settings.of(values));

    try (RawWriter writer = new RawWriter(kafka)) {
      writer.send(records.subList(0, beforeStart));
      try (PublisherService publisher = PublisherService.start(config)) {
        writer.send(records.subList(beforeStart, records.size()));
        String what = "seed " + seed;
        // every extreme post has been through the fan-out before the normal subscriber exists, so
        // only the normal post can reach it; a readable post after them shows when (an unreadable
        // record at a partition's end is skipped but never committed)
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String id = Long.toUnsignedString(seed, 36);
        PostEvent sentinel = post("sentinel-" + id, "Sentinel " + id, false, now);
        awaitCommitted(kafka, config.groupPrefix() + "-fanout", what,
            writer.send(new ProducerRecord<>(kafka.topics().posts(), sentinel.slug(), new EventJson().write(sentinel))));

        String reader = "reader-" + id + "@" + ExtremeEvents.RESERVED_DOMAIN;
        publisher.addConfirmedSubscriber(reader, "test");
        String title = "Normal post after hostile events " + seed;
        PostEvent normal = post("normal-" + id, title, true, now);
        writer.send(new ProducerRecord<>(kafka.topics().posts(), normal.slug(), new EventJson().write(normal)));

        await(what + ": the normal post reaches the normal subscriber").atMost(Duration.ofSeconds(90))
            .until(() -> !mailTo(reader).isEmpty());
        // every job on the topic, extreme ones included, is settled before counting (the mailer
        // commits a partition only up to its oldest open job): no job may be retried for ever
        List<RecordMetadata> lastJobs = new ArrayList<>();
        DeliveryJob sentinelJob = new DeliveryJob(DeliveryJob.SCHEMA_VERSION, sentinel.slug(), 1,
            "sentinel-" + id + "@" + ExtremeEvents.RESERVED_DOMAIN, now);
        for (int partition = 0; partition < kafka.deliveriesPartitions(); partition++) {
          lastJobs.add(writer.send(new ProducerRecord<>(kafka.topics().deliveries(), partition, sentinelJob.email(),
              new EventJson().write(sentinelJob))));
        }
        awaitCommitted(kafka, config.groupPrefix() + "-mailer", what, lastJobs.toArray(RecordMetadata[]::new));
        List<String> recipients = jobRecipients(kafka, normal.slug());
        assertThat(recipients).as(what + ": the normal post's fan-out").containsOnlyOnce(reader)
            .allSatisfy(to -> assertThat(EmailAddress.normalise(to)).as(what + ": a recipient of the fan-out")
                .contains(to));
        List<MimeMessage> mail = mailTo(reader);
        assertThat(mail).as(what + ": mail to the normal subscriber").hasSize(1);
        assertThat(mail.get(0).getSubject()).as(what).isEqualTo(title);

        assertThat(http.status(publisher.httpPort(), "/health/live")).as(what + ": /health/live").isEqualTo(200);
        assertThat(http.status(publisher.httpPort(), "/health")).as(what + ": /health").isEqualTo(200);
        String clients = config.groupPrefix() + "-" + instance;
        assertThat(aliveThreads()).as(what + ": consumer threads alive").contains(
            "follow-" + kafka.topics().posts(), "follow-" + kafka.topics().subscribers(),
            clients + "-log", clients + "-fanout", clients + "-mailer");

        List<String> refused = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessagesForDomain(ExtremeEvents.VICTIM_DOMAIN)) {
          refused.add(Arrays.toString(m.getAllRecipients()) + " " + m.getSubject());
        }
        assertThat(refused).as(what + ": mail to an address an extreme event should have been refused for").isEmpty();
        for (MimeMessage m : smtp.getReceivedMessages()) {
          for (Address to : m.getAllRecipients()) {
            assertThat(to.toString()).as(what + ": a recipient").doesNotContain(ExtremeEvents.VICTIM_DOMAIN);
          }
        }
        System.out.printf("HostileEventsTest publisher: seed %d, %d records (%d before start, %d refused by the broker),"
            + " %d mails in all%n", seed, records.size(), beforeStart, writer.refused(), smtp.getReceivedMessages().length);
      }
    }
    smtp.purgeEmailFromAllMailboxes();
  }

  private static List<MimeMessage> mailTo(String address) {
    return Arrays.asList(smtp.getReceivedMessagesForDomain(ExtremeEvents.RESERVED_DOMAIN)).stream()
        .filter(m -> recipients(m).contains(address))
        .toList();
  }

  private static Set<String> recipients(MimeMessage m) {
    try {
      return Arrays.stream(m.getAllRecipients()).map(Address::toString).collect(Collectors.toSet());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static PostEvent post(String slug, String title, boolean email, Instant now) {
    return PostEvent.builder()
        .change(PostChange.PUBLISHED)
        .slug(slug)
        .title(title)
        .author("Editor")
        .summary("A summary.")
        .html("<p>Hello.</p>")
        .text("Hello.")
        .publishAt(now.minusSeconds(1))
        .tags(List.of("news"))
        .email(email)
        .contentHash("0".repeat(64))
        .sourceFile(slug + ".md")
        .ingestedAt(now)
        .build();
  }

  /** Waits until {@code group} has committed past each of {@code records}. */
  private static void awaitCommitted(KafkaSettings kafka, String group, String what, RecordMetadata... records) {
    try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      await(what + ": " + group + " through its topic").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            for (RecordMetadata record : records) {
              OffsetAndMetadata at = committed.get(new TopicPartition(record.topic(), record.partition()));
              if (at == null || at.offset() <= record.offset()) {
                return false;
              }
            }
            return true;
          });
    }
  }

  /** The addresses of the delivery jobs of {@code slug} on the deliveries topic, as read_committed readers see them. */
  private static List<String> jobRecipients(KafkaSettings kafka, String slug) {
    EventJson json = new EventJson();
    List<String> recipients = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(ClientProperties.reader(kafka, "hostile-jobs"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(kafka.topics().deliveries()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      await("reading " + kafka.topics().deliveries()).atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          try {
            DeliveryJob job = record.value() == null ? null : json.read(record.value(), DeliveryJob.class);
            if (job != null && job.slug().equals(slug)) {
              recipients.add(job.email());
            }
          } catch (RuntimeException e) {
            // one of the extreme records
          }
        }
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
      });
    }
    return recipients;
  }

  private static Set<String> aliveThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .collect(Collectors.toSet());
  }

  // ---------------------------------------------------------------- ingest

  private void checkIngest(KafkaSettings kafka, long seed, Path root) throws Exception {
    new TopicSetup(kafka).ensureTopics();
    List<Raw> posts = new ExtremeEvents(seed).posts(PER_TYPE * 2);
    int refused;
    try (RawWriter writer = new RawWriter(kafka)) {
      for (Raw raw : posts) {
        writer.send(List.of(new Sent(kafka.topics().posts(), raw)));
      }
      refused = writer.refused();
    }
    Map<String, String> values = new HashMap<>();
    values.put(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers());
    values.put(KafkaSettings.TOPIC_PREFIX, kafka.topics().prefix());
    values.put(KafkaSettings.DELIVERIES_PARTITIONS, Integer.toString(kafka.deliveriesPartitions()));
    values.put("PRESSLINE_PUBLIC_BASE_URL", "http://localhost:" + FreePort.pick());
    values.put("PRESSLINE_MEDIA_DIR", root.resolve("media").toString());
    values.put(IngestConfig.INBOX_DIR, root.resolve("inbox").toString());
    values.put(IngestConfig.PROCESSED_DIR, root.resolve("processed").toString());
    values.put(IngestConfig.REJECTED_DIR, root.resolve("rejected").toString());
    values.put(IngestConfig.PORT, "0");
    values.put(IngestConfig.SETTLE_TIME, "50ms");
    values.put(IngestConfig.POLL_INTERVAL, "50ms");
    values.put(IngestConfig.MEDIA_GRACE, "1s");
    String what = "seed " + seed;
    try (IngestService ingest = IngestService.start(IngestConfig.from(Settings.of(values)))) {
      assertThat(ingest.awaitReady(Duration.ofSeconds(60))).as(what + ": ingest ready after reading the posts topic")
          .isTrue();
      String title = "Normal file after hostile events " + Long.toUnsignedString(seed, 36);
      String name = "normal-" + Long.toUnsignedString(seed, 36) + ".txt";
      Path inbox = root.resolve("inbox");
      Files.writeString(inbox.resolve(name + ".part"), title + "\n\nA plain paragraph.\n", StandardCharsets.UTF_8);
      Files.move(inbox.resolve(name + ".part"), inbox.resolve(name));
      await(what + ": the normal file is processed").atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(root.resolve("processed").resolve(name)));
      PostEvent published = awaitPost(kafka, title, what);
      assertThat(published.change()).as(what).isEqualTo(PostChange.PUBLISHED);
      assertThat(published.revision()).as(what).isEqualTo(1);
      assertThat(http.status(ingest.healthPort(), "/health/live")).as(what + ": /health/live").isEqualTo(200);
      assertThat(http.status(ingest.healthPort(), "/health")).as(what + ": /health").isEqualTo(200);
      assertThat(aliveThreads()).as(what + ": the posts follower").contains("follow-" + kafka.topics().posts());
      System.out.printf("HostileEventsTest ingest: seed %d, %d extreme post records (%d refused by the broker), then"
          + " '%s' published as '%s'%n", seed, posts.size(), refused, name, published.slug());
    }
  }

  /** The event of the post titled {@code title}, read from the posts topic. */
  private static PostEvent awaitPost(KafkaSettings kafka, String title, String what) {
    EventJson json = new EventJson();
    List<PostEvent> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(ClientProperties.reader(kafka, "hostile-check"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(kafka.topics().posts()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await(what + ": the normal post on the topic").atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            continue;
          }
          try {
            PostEvent event = json.read(record.value(), PostEvent.class);
            if (event.title().equals(title)) {
              found.add(event);
            }
          } catch (RuntimeException e) {
            // one of the extreme records: not ours
          }
        }
        return !found.isEmpty();
      });
    }
    return found.get(0);
  }

  // ---------------------------------------------------------------- writing

  private record Sent(String topic, Raw raw) {}

  /** Writes records as they are, bypassing the events' JSON form. */
  private static final class RawWriter implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    RawWriter(KafkaSettings kafka) {
      producer = new KafkaProducer<>(ClientProperties.producer(kafka, "hostile-events"), new StringSerializer(),
          new ByteArraySerializer());
    }

    private int refused;

    void send(List<Sent> records) throws Exception {
      for (Sent sent : records) {
        send(new ProducerRecord<>(sent.topic(), sent.raw().key(), sent.raw().value()));
      }
    }

    RecordMetadata send(ProducerRecord<String, byte[]> record) throws Exception {
      try {
        return producer.send(record).get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof InvalidRecordException)) {
          throw e;
        }
        // a compacted topic takes no record without a key: the broker keeps that one from every consumer
        refused++;
        return null;
      }
    }

    /** Records the broker refused (keyless records on a compacted topic). */
    int refused() {
      return refused;
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
