package dev.pressline.console.health;

import static java.util.Objects.requireNonNull;

import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.KafkaSettings;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Answers "why is nothing going out" on one screen: each service's readiness and liveness over HTTP,
 * in words, and the consumer lag of the publisher's fan-out and mailer groups and of every feed
 * instance from Kafka. Only asks; changes nothing, and gives up after a few seconds so a stuck service
 * cannot hang the page.
 */
public final class ServiceHealth implements AutoCloseable {

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);

  private final Map<String, URI> services;
  private final KafkaSettings kafka;
  private final String groupPrefix;
  private final Clock clock;
  private final Instant started;
  private final HealthAnswers answers = new HealthAnswers();
  private final Map<String, Instant> lastAnswered = new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(ASK_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
  private final Admin admin;

  public ServiceHealth(Map<String, URI> services, KafkaSettings kafka, String groupPrefix, Clock clock) {
    this.services = Map.copyOf(services);
    this.kafka = requireNonNull(kafka, "kafka");
    this.groupPrefix = requireNonNull(groupPrefix, "groupPrefix");
    this.clock = requireNonNull(clock, "clock");
    this.started = clock.instant();
    // with the cluster's security settings, as every other client: on a secured cluster lag is asked with them
    Properties props = ClientProperties.admin(kafka, "console-health");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(ASK_TIMEOUT.toMillis()));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(ASK_TIMEOUT.toMillis()));
    this.admin = Admin.create(props);
  }

  /** Every configured service, all asked at the same time, by name. */
  public List<Probe> probes() {
    List<CompletableFuture<Probe>> asked = new ArrayList<>();
    new TreeMap<>(services).forEach((name, base) -> {
      CompletableFuture<Reply> ready = ask(base.resolve("/health/ready"));
      CompletableFuture<Reply> live = ask(base.resolve("/health/live"));
      asked.add(ready.thenCombine(live, (r, l) -> probe(name, base, r, l)));
    });
    return asked.stream().map(CompletableFuture::join).toList();
  }

  /** An HTTP answer, or why there was none. */
  private record Reply(int status, String body, String failure) {}

  private CompletableFuture<Reply> ask(URI uri) {
    return http.sendAsync(HttpRequest.newBuilder(uri).timeout(ASK_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> new Reply(response.statusCode(), response.body(), null))
        .exceptionally(e -> new Reply(0, "", failure(e)));
  }

  private Probe probe(String name, URI base, Reply ready, Reply live) {
    Instant now = clock.instant();
    if (ready.failure() != null && live.failure() != null) {
      Instant last = lastAnswered.get(name);
      String when = last == null
          ? "not reached since the console started, at"
          : "last reached " + ago(last, now) + " ago, at";
      return new Probe(name, base.toString(), ready.failure(), Answer.none(ready.failure()),
          Answer.none(live.failure()), when, last == null ? started : last);
    }
    lastAnswered.put(name, now);
    return new Probe(name, base.toString(), "", answer(ready, true), answer(live, false),
        "reached just now, at", now);
  }

  private Answer answer(Reply reply, boolean readiness) {
    return reply.failure() != null ? Answer.none(reply.failure()) : answers.read(reply.status(), reply.body(), readiness);
  }

  /** Why a service could not be asked, in an operator's words. */
  static String failure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof HttpConnectTimeoutException) {
        return "no connection within " + ASK_TIMEOUT.toSeconds() + " s";
      }
      if (t instanceof HttpTimeoutException) {
        return "no answer within " + ASK_TIMEOUT.toSeconds() + " s";
      }
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "unknown host";
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static String ago(Instant then, Instant now) {
    long s = Math.max(0, Duration.between(then, now).toSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + ((s / 60) % 60) + " min";
  }

  /**
   * The lag of the fan-out (on posts), the mailers (on deliveries) and each feed instance (on posts:
   * each feed commits the position its served site includes under a group of its own).
   */
  public List<Lag> lags() {
    List<Lag> lags = new ArrayList<>();
    lags.add(lag("fan-out", groupPrefix + "-fanout", kafka.topics().posts()));
    lags.add(lag("mailers", groupPrefix + "-mailer", kafka.topics().deliveries()));
    lags.addAll(feedLags());
    return lags;
  }

  private List<Lag> feedLags() {
    String prefix = kafka.topics().feedGroupPrefix();
    try {
      // every kind of group: a feed commits without joining, so its group has no members and no protocol
      List<String> groups = admin.listGroups().all().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .stream().map(GroupListing::groupId).filter(g -> g.startsWith(prefix)).sorted().toList();
      if (groups.isEmpty()) {
        return List.of(new Lag("feed", kafka.topics().posts(), -1,
            "no feed has committed its position yet (groups " + prefix + "<instance id>)"));
      }
      return groups.stream()
          .map(g -> lag("feed " + g.substring(prefix.length()), g, kafka.topics().posts()))
          .toList();
    } catch (ExecutionException | TimeoutException e) {
      return List.of(new Lag("feed", kafka.topics().posts(), -1, "Kafka did not answer: " + failure(e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of(new Lag("feed", kafka.topics().posts(), -1, "not asked: interrupted"));
    }
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
      return new Lag(reader, topic, -1, "Kafka did not answer: " + failure(e));
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
