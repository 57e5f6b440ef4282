package dev.pressline.bench.latency;

import dev.pressline.bench.CommonOptions;
import dev.pressline.bench.content.SamplePosts;
import dev.pressline.bench.mail.SmtpSink;
import dev.pressline.bench.report.ChartWriter;
import dev.pressline.bench.report.Distribution;
import dev.pressline.bench.report.Report;
import dev.pressline.bench.run.BenchKafka;
import dev.pressline.bench.run.DeliveryLogWatcher;
import dev.pressline.bench.run.Launch;
import dev.pressline.bench.run.ServiceProcess;
import dev.pressline.bench.run.Workspace;
import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.ingest.IngestConfig;
import dev.pressline.support.kafka.KafkaSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Benchmark 2: posts dropped into the inbox one by one (written beside it, then renamed in
 * atomically), with all three services running from their jars. For each post: the time from the
 * rename to its item in {@code /feed.xml}, and to its first email accepted by the SMTP server.
 */
@Command(name = "latency", description = "inbox-to-feed and inbox-to-first-email latency")
public final class LatencyBench implements Callable<Integer> {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Mixin CommonOptions common;

  @Option(names = "--posts", description = "posts dropped one by one (default 200)")
  int posts = 200;

  @Option(names = "--subscribers", description = "confirmed subscribers each post is mailed to (default 10)")
  int subscribers = 10;

  @Option(names = "--poll-millis", description = "how often /feed.xml is fetched while waiting (default 5)")
  int pollMillis = 5;

  @Option(names = "--settle", description = "PRESSLINE_INGEST_SETTLE_TIME for this run (default: the service's)")
  String settle;

  @Option(names = "--ingest-poll", description = "PRESSLINE_INGEST_POLL_INTERVAL for this run (default: the service's)")
  String ingestPoll;

  @Override
  public Integer call() throws Exception {
    Workspace ws = common.workspace();
    if (ws.smoke()) {
      posts = 3;
      subscribers = 2;
    }
    String name = settle == null && ingestPoll == null ? "latency" : "latency-tuned";
    Report report = new Report(name, ws.results(), ws.smoke());
    SamplePosts samples = SamplePosts.load(ws.seeds());
    Map<String, String> ingestSettings = new HashMap<>();
    if (settle != null) {
      ingestSettings.put(IngestConfig.SETTLE_TIME, settle);
    }
    if (ingestPoll != null) {
      ingestSettings.put(IngestConfig.POLL_INTERVAL, ingestPoll);
    }
    report.line("%d posts dropped one by one (next after the previous reached feed and inbox), %d subscribers, "
        + "feed polled every %d ms, ingest settings %s", posts, subscribers, pollMillis,
        ingestSettings.isEmpty() ? "default (settle 300ms, poll 100ms)" : ingestSettings);
    List<Double> toFeed = new ArrayList<>();
    List<Double> toEmail = new ArrayList<>();
    try (BenchKafka kafka = BenchKafka.start(ws.scratchDir("broker"))) {
      KafkaSettings topics = kafka.freshTopics("latency");
      try (KafkaProducer<String, SubscriberEvent> producer = BenchKafka.loader(topics, "bench-subscribers")) {
        for (int i = 0; i < subscribers; i++) {
          String email = String.format("reader%03d@example.com", i);
          producer.send(new ProducerRecord<>(topics.topics().subscribers(), email,
              new SubscriberEvent(SubscriberEvent.SCHEMA_VERSION, email, SubscriberStatus.CONFIRMED, Instant.now(),
                  "bench")));
        }
        producer.flush();
      }
      Path inbox = ws.scratchDir("inbox");
      Path staging = ws.scratchDir("staging");
      Launch launch = new Launch(ws);
      try (SmtpSink sink = SmtpSink.start(ws.scratch().resolve("smtp-sink.log"));
          DeliveryLogWatcher mail = new DeliveryLogWatcher(topics).start();
          ServiceProcess feed = launch.feed(topics, "latency", List.of());
          ServiceProcess publisher = launch.publisher(topics, "latency", sink.port(), 4, List.of());
          ServiceProcess ingest = launch.ingest(topics, "latency", inbox, ingestSettings)) {
        for (int i = 0; i < posts; i++) {
          String slug = "bench-latency-" + i;
          Path file = staging.resolve(slug + ".md");
          Files.writeString(file, samples.markdown(i, slug), StandardCharsets.UTF_8);
          Instant dropped = Instant.now();
          Files.move(file, inbox.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
          Instant inFeed = awaitInFeed(feed.url("/feed.xml"), slug, Duration.ofSeconds(60));
          Instant mailed = mail.awaitFirstSent(slug, Duration.ofSeconds(60));
          if (inFeed == null || mailed == null) {
            throw new IllegalStateException("post " + slug + " did not reach " + (inFeed == null ? "the feed" : "an inbox")
                + " within 60 s; logs in " + ws.scratch());
          }
          toFeed.add(Duration.between(dropped, inFeed).toNanos() / 1e6);
          toEmail.add(Duration.between(dropped, mailed).toNanos() / 1e6);
        }
        // every post goes to every subscriber: a mail missing or failed means the pipeline measured is broken
        int expected = posts * subscribers;
        mail.awaitSent(expected, Duration.ofSeconds(60));
        report.checkAll("mails", mail.sent(), expected, "mails accepted by smtp-sink");
        report.checkNone("mails", mail.failed(), "mails failed or bounced");
      }
    }
    Distribution feedLatency = Distribution.of(toFeed);
    Distribution mailLatency = Distribution.of(toEmail);
    report.line("inbox -> /feed.xml      ms: p50 %.0f  p90 %.0f  p99 %.0f  max %.0f  (min %.0f)", feedLatency.p50(),
        feedLatency.p90(), feedLatency.p99(), feedLatency.max(), feedLatency.min());
    report.line("inbox -> first email    ms: p50 %.0f  p90 %.0f  p99 %.0f  max %.0f  (min %.0f)", mailLatency.p50(),
        mailLatency.p90(), mailLatency.p99(), mailLatency.max(), mailLatency.min());
    report.checkPositive("inbox -> /feed.xml, fastest post", feedLatency.min(), "ms");
    report.checkPositive("inbox -> first email, fastest post", mailLatency.min(), "ms");
    report.figure("feed.ms", feedLatency);
    report.figure("email.ms", mailLatency);
    report.figure("feed.ms.all", toFeed);
    report.figure("email.ms.all", toEmail);
    report.target("feed p50", feedLatency.p50(), "ms", "<=", 300);
    report.target("feed p99", feedLatency.p99(), "ms", "<=", 1000);
    report.target("first email p99", mailLatency.p99(), "ms", "<=", 1500);
    Map<String, List<Double>> cdf = new LinkedHashMap<>();
    cdf.put("inbox -> /feed.xml", toFeed);
    cdf.put("inbox -> first email accepted", toEmail);
    new ChartWriter(ws.results()).cdf(name, "Latency of " + posts + " posts dropped one by one"
        + (ingestSettings.isEmpty() ? "" : " " + ingestSettings), cdf);
    report.line("chart: %s.png", name);
    report.write();
    return report.exitCode();
  }

  /** Polls the feed (cheaply, with If-None-Match) until it names the post; returns when it first did. */
  private Instant awaitInFeed(String url, String slug, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String needle = "/posts/" + slug + "<";
    String etag = null;
    while (System.nanoTime() < deadline) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
      if (etag != null) {
        request.header("If-None-Match", etag);
      }
      try {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Instant seen = Instant.now();
        if (response.statusCode() == 200) {
          etag = response.headers().firstValue("ETag").orElse(null);
          if (response.body().contains(needle)) {
            return seen;
          }
        }
      } catch (IOException e) {
        // a refused connection is retried like a miss
      }
      Thread.sleep(pollMillis);
    }
    return null;
  }
}
