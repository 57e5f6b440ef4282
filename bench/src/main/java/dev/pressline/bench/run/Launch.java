package dev.pressline.bench.run;

import static java.util.Objects.requireNonNull;

import dev.pressline.feed.FeedConfig;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.publisher.PublisherConfig;
import dev.pressline.support.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the Pressline services from their shaded jars with the settings a benchmark needs, each on
 * a free port, with its log in the run's scratch folder.
 */
public record Launch(Workspace ws) {

  public Launch {
    requireNonNull(ws, "ws");
  }

  /** feed-service on {@code topics}; returns once it is healthy (has read the posts topic). */
  public ServiceProcess feed(KafkaSettings topics, String label, List<String> jvmOptions) throws InterruptedException {
    ServiceProcess feed = startFeed(topics, label, jvmOptions);
    feed.awaitHealthy(Duration.ofMinutes(5));
    return feed;
  }

  /** feed-service on {@code topics}, started but not yet waited for. */
  public ServiceProcess startFeed(KafkaSettings topics, String label, List<String> jvmOptions) {
    int port = FreePort.pick().port();
    Map<String, String> env = new LinkedHashMap<>(BenchKafka.env(topics));
    env.put(FeedConfig.PORT, Integer.toString(port));
    env.put(FeedConfig.PUBLIC_BASE_URL, "http://127.0.0.1:" + port);
    env.put(FeedConfig.MEDIA_DIR, ws.scratchDir("media-" + label).toString());
    return ServiceProcess.start("feed", ws.serviceJar("feed-service"), jvmOptions, env, port,
        ws.scratch().resolve("feed-" + label + ".log"));
  }

  /** ingest-service watching {@code inbox}; returns once it is healthy. */
  public ServiceProcess ingest(KafkaSettings topics, String label, Path inbox, Map<String, String> extra)
      throws InterruptedException {
    int port = FreePort.pick().port();
    Map<String, String> env = new LinkedHashMap<>(BenchKafka.env(topics));
    env.put(IngestConfig.PORT, Integer.toString(port));
    env.put(IngestConfig.INBOX_DIR, inbox.toString());
    env.put(IngestConfig.PROCESSED_DIR, ws.scratchDir("processed-" + label).toString());
    env.put(IngestConfig.REJECTED_DIR, ws.scratchDir("rejected-" + label).toString());
    env.put(IngestConfig.MEDIA_DIR, ws.scratchDir("media-" + label).toString());
    env.putAll(extra);
    ServiceProcess ingest = ServiceProcess.start("ingest", ws.serviceJar("ingest-service"), List.of(), env, port,
        ws.scratch().resolve("ingest-" + label + ".log"));
    ingest.awaitHealthy(Duration.ofMinutes(5));
    return ingest;
  }

  /** publisher-service mailing to {@code smtpPort}; returns once it is healthy. */
  public ServiceProcess publisher(KafkaSettings topics, String label, int smtpPort, int concurrency,
      List<String> jvmOptions) throws InterruptedException {
    int port = FreePort.pick().port();
    Map<String, String> env = new LinkedHashMap<>(BenchKafka.env(topics));
    env.put(PublisherConfig.PORT, Integer.toString(port));
    env.put(PublisherConfig.SMTP_HOST, "127.0.0.1");
    env.put(PublisherConfig.SMTP_PORT, Integer.toString(smtpPort));
    env.put(PublisherConfig.SMTP_CONCURRENCY, Integer.toString(concurrency));
    env.put(PublisherConfig.SIGNING_SECRET, "bench-signing-secret-0123456789");
    env.put(PublisherConfig.STATE_DIR, ws.scratchDir("publisher-state-" + label).toString());
    env.put(PublisherConfig.INSTANCE_ID, "bench-" + label);
    ServiceProcess publisher = ServiceProcess.start("publisher", ws.serviceJar("publisher-service"), jvmOptions,
        env, port, ws.scratch().resolve("publisher-" + label + ".log"));
    // with a million subscribers, reading them takes a while before /health answers 200
    publisher.awaitHealthy(Duration.ofMinutes(5), Duration.ofSeconds(1));
    return publisher;
  }
}
