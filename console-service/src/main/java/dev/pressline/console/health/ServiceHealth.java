package dev.pressline.console.health;

import static java.util.Objects.requireNonNull;

import dev.pressline.support.kafka.KafkaSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Answers "why is nothing going out" on one screen: each service's readiness and liveness over HTTP,
 * and the consumer lag of the publisher's fan-out and mailer groups from Kafka. Only asks; changes
 * nothing, and gives up after a few seconds so a stuck service cannot hang the page.
 */
public final class ServiceHealth implements AutoCloseable {

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);

  private final Map<String, URI> services;
  private final KafkaSettings kafka;
  private final String groupPrefix;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(ASK_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
  private final Admin admin;

  public ServiceHealth(Map<String, URI> services, KafkaSettings kafka, String groupPrefix) {
    this.services = Map.copyOf(services);
    this.kafka = requireNonNull(kafka, "kafka");
    this.groupPrefix = requireNonNull(groupPrefix, "groupPrefix");
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "console-health");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(ASK_TIMEOUT.toMillis()));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(ASK_TIMEOUT.toMillis()));
    this.admin = Admin.create(props);
  }

  /** Every configured service, all asked at the same time. */
  public List<Probe> probes() {
    List<CompletableFuture<Probe>> asked = new ArrayList<>();
    services.forEach((name, base) -> {
      CompletableFuture<Answer> ready = ask(base.resolve("/health/ready"));
      CompletableFuture<Answer> live = ask(base.resolve("/health/live"));
      asked.add(ready.thenCombine(live,
          (r, l) -> new Probe(name, base.toString(), r.ok(), r.text(), l.ok(), l.text())));
    });
    return asked.stream().map(CompletableFuture::join).toList();
  }

  private record Answer(boolean ok, String text) {}

  private CompletableFuture<Answer> ask(URI uri) {
    return http.sendAsync(HttpRequest.newBuilder(uri).timeout(ASK_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> {
          String firstLine = response.body().strip().lines().findFirst().orElse("");
          String text = firstLine.length() > 300 ? firstLine.substring(0, 300) + "…" : firstLine;
          return new Answer(response.statusCode() == 200,
              response.statusCode() + (text.isEmpty() ? "" : " " + text));
        })
        .exceptionally(e -> {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          return new Answer(false, "no answer: "
              + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
        });
  }

  /** The lag of the fan-out (on posts), the mailers (on deliveries) and what can be said of the feed. */
  public List<Lag> lags() {
    List<Lag> lags = new ArrayList<>();
    lags.add(lag("fan-out", groupPrefix + "-fanout", kafka.topics().posts()));
    lags.add(lag("mailers", groupPrefix + "-mailer", kafka.topics().deliveries()));
    lags.add(new Lag("feed", kafka.topics().posts(), -1,
        "the feed reads the whole topic on start without a consumer group; its readiness above says whether"
            + " it has caught up"));
    return lags;
  }

  private Lag lag(String reader, String group, String topic) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<TopicPartition> partitions = committed.keySet().stream().filter(p -> p.topic().equals(topic)).toList();
      if (partitions.isEmpty()) {
        return new Lag(reader, topic, -1, "group " + group + " has committed nothing yet");
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long behind = 0;
      for (TopicPartition p : partitions) {
        OffsetAndMetadata at = committed.get(p);
        behind += Math.max(0, ends.get(p).offset() - (at == null ? 0 : at.offset()));
      }
      return new Lag(reader, topic, behind, "group " + group + ", " + partitions.size() + " partition(s)");
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Lag(reader, topic, -1, "Kafka did not answer: " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Lag(reader, topic, -1, "not asked: interrupted");
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
