package dev.pressline.publisher;

import dev.pressline.events.DeliveryJob;
import dev.pressline.events.EventJson;
import dev.pressline.events.PostEvent;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicSetup;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Settings and a producer of posts (and raw delivery jobs) for one test: fresh topics on the shared test broker. */
final class TestPipeline implements AutoCloseable {

  final KafkaSettings kafka;
  private final Map<String, String> settings = new HashMap<>();
  private final KafkaProducer<String, Object> posts;

  TestPipeline(KafkaSettings kafka, int smtpPort, Path stateDir) {
    this.kafka = kafka;
    new TopicSetup(kafka).ensureTopics();
    settings.put("PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    settings.put("PRESSLINE_TOPIC_PREFIX", kafka.topics().prefix());
    settings.put("PRESSLINE_DELIVERIES_PARTITIONS", String.valueOf(kafka.deliveriesPartitions()));
    settings.put("PRESSLINE_PUBLISHER_PORT", "0");
    settings.put("PRESSLINE_SMTP_HOST", "127.0.0.1");
    settings.put("PRESSLINE_SMTP_PORT", String.valueOf(smtpPort));
    settings.put("PRESSLINE_STATE_DIR", stateDir.toString());
    settings.put("PRESSLINE_PUBLIC_BASE_URL", "https://feed.example.org");
    settings.put("PRESSLINE_SMTP_RETRY_BACKOFF", "100ms");
    settings.put("PRESSLINE_SMTP_MAX_RETRY_BACKOFF", "1s");
    posts = new KafkaProducer<>(ClientProperties.producer(kafka, "test-posts"), new StringSerializer(),
        JsonSerde.serializer(new EventJson()));
  }

  TestPipeline set(String name, String value) {
    settings.put(name, value);
    return this;
  }

  PublisherConfig config() {
    return PublisherConfig.from(Settings.of(settings));
  }

  void publish(PostEvent post) throws Exception {
    posts.send(new ProducerRecord<>(kafka.topics().posts(), post.slug(), post)).get();
  }

  /** Writes a delivery job straight onto {@code deliveries}, as a fan-out would, keyed by subscriber. */
  void deliver(DeliveryJob job) throws Exception {
    posts.send(new ProducerRecord<>(kafka.topics().deliveries(), job.email(), job)).get();
  }

  @Override
  public void close() {
    posts.close();
  }
}
