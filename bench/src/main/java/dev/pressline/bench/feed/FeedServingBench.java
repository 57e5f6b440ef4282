package dev.pressline.bench.feed;

import dev.pressline.bench.CommonOptions;
import dev.pressline.bench.content.SamplePosts;
import dev.pressline.bench.report.ChartWriter;
import dev.pressline.bench.report.Distribution;
import dev.pressline.bench.report.Report;
import dev.pressline.bench.run.BenchKafka;
import dev.pressline.bench.run.Launch;
import dev.pressline.bench.run.ServiceProcess;
import dev.pressline.bench.run.Workspace;
import dev.pressline.events.PostEvent;
import dev.pressline.support.kafka.KafkaSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Benchmark 3: wrk against feed-service's {@code /feed.xml} (full 200 answer, 304 with
 * If-None-Match, gzip) and against nginx serving a copy of the very same bytes, with the same
 * connections and duration, runs interleaved.
 */
@Command(name = "feed", description = "feed serving: wrk against feed-service and nginx with the same bytes")
public final class FeedServingBench implements Callable<Integer> {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Mixin CommonOptions common;

  @Option(names = "--posts", description = "posts in the feed (default 100, one full feed page)")
  int posts = 100;

  @Option(names = "--connections", description = "wrk connections (default 64)")
  int connections = 64;

  @Option(names = "--threads", description = "wrk threads (default 2)")
  int threads = 2;

  @Option(names = "--seconds", description = "length of each wrk measurement (default 10)")
  int seconds = 10;

  @Option(names = "--runs", description = "measurements of each case; the median is reported (default 3)")
  int runs = 3;

  @Option(names = "--profile", description = "record a JFR profile of feed-service (in the scratch folder)")
  boolean profile;

  /** One way of asking for the feed. */
  private record Case(String name, Map<String, String> pressline, Map<String, String> nginx) {}

  @Override
  public Integer call() throws Exception {
    Workspace ws = common.workspace();
    if (ws.smoke()) {
      posts = 5;
      seconds = 1;
      runs = 1;
      connections = 4;
    }
    Report report = new Report("feed-serving", ws.results(), ws.smoke());
    SamplePosts samples = SamplePosts.load(ws.seeds());
    try (BenchKafka kafka = BenchKafka.start(ws.scratchDir("broker"))) {
      KafkaSettings topics = kafka.freshTopics("feed");
      try (KafkaProducer<String, PostEvent> producer = BenchKafka.loader(topics, "bench-posts")) {
        Instant start = Instant.now().minus(Duration.ofDays(posts));
        for (int i = 0; i < posts; i++) {
          String slug = "bench-feed-" + i;
          producer.send(new ProducerRecord<>(topics.topics().posts(), slug,
              samples.event(i, slug, start.plus(Duration.ofDays(i)))));
        }
        producer.flush();
      }
      List<String> jvm = profile
          ? List.of("-XX:StartFlightRecording=settings=profile,filename=" + ws.scratch().resolve("feed.jfr"))
          : List.of();
      try (ServiceProcess feed = new Launch(ws).feed(topics, "serving", jvm)) {
        HttpResponse<byte[]> plain = get(feed.url("/feed.xml"), Map.of());
        HttpResponse<byte[]> gzip = get(feed.url("/feed.xml"), Map.of("Accept-Encoding", "gzip"));
        String etag = plain.headers().firstValue("ETag").orElseThrow();
        String gzipEtag = gzip.headers().firstValue("ETag").orElseThrow();
        check(get(feed.url("/feed.xml"), Map.of("If-None-Match", etag)).statusCode() == 304,
            "feed-service answers If-None-Match with 304");
        byte[] body = plain.body();
        report.line("feed.xml with %d posts: %,d bytes, %,d bytes gzipped by feed-service", posts, body.length,
            gzip.body().length);
        report.figure("feedBytes", body.length);
        report.figure("feedGzipBytes", gzip.body().length);

        Path www = ws.scratchDir("www");
        Files.write(www.resolve("feed.xml"), body);
        Files.write(www.resolve("feed.xml.gz"), gzipped(body));
        try (Nginx nginx = Nginx.start(ws.scratchDir("nginx"), www, Runtime.getRuntime().availableProcessors())) {
          HttpResponse<byte[]> copy = get(nginx.url("/feed.xml"), Map.of());
          check(java.util.Arrays.equals(copy.body(), body), "nginx serves the same bytes");
          String nginxEtag = copy.headers().firstValue("ETag").orElseThrow();
          check(get(nginx.url("/feed.xml"), Map.of("If-None-Match", nginxEtag)).statusCode() == 304,
              "nginx answers If-None-Match with 304");
          check("gzip".equals(get(nginx.url("/feed.xml"), Map.of("Accept-Encoding", "gzip")).headers()
              .firstValue("Content-Encoding").orElse("")), "nginx serves the .gz copy");
          List<Case> cases = List.of(
              new Case("200 full body", Map.of(), Map.of()),
              new Case("304 If-None-Match", Map.of("If-None-Match", etag), Map.of("If-None-Match", nginxEtag)),
              new Case("200 gzip", Map.of("Accept-Encoding", "gzip"), Map.of("Accept-Encoding", "gzip")));
          measure(ws, report, feed, nginx, cases, gzipEtag);
        }
      }
    }
    report.write();
    return report.exitCode();
  }

  private void measure(Workspace ws, Report report, ServiceProcess feed, Nginx nginx, List<Case> cases,
      String gzipEtag) throws InterruptedException {
    Wrk wrk = new Wrk(threads, connections, Duration.ofSeconds(seconds));
    report.line("wrk: %d threads, %d connections, %d s per measurement, %d runs per case (interleaved)", threads,
        connections, seconds, runs);
    Map<String, List<Double>> chart = new LinkedHashMap<>();
    chart.put("Pressline feed-service", new ArrayList<>());
    chart.put("nginx (same bytes)", new ArrayList<>());
    for (Case c : cases) {
      List<Double> ours = new ArrayList<>();
      List<Double> theirs = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        String label = c.name().replaceAll("[^A-Za-z0-9]+", "-") + "-" + run;
        Wrk.Result p = wrk.run(feed.url("/feed.xml"), c.pressline(), ws.scratch().resolve("wrk-pressline-" + label + ".log"));
        Wrk.Result n = wrk.run(nginx.url("/feed.xml"), c.nginx(), ws.scratch().resolve("wrk-nginx-" + label + ".log"));
        // both sides alike: a server whose answers wrk cannot count measured nothing, however fast it looks
        p.check(report, c.name() + ", run " + run + ", pressline");
        n.check(report, c.name() + ", run " + run + ", nginx");
        ours.add(p.requestsPerSecond());
        theirs.add(n.requestsPerSecond());
        report.line("run %d  %-18s pressline %,10.0f req/s   nginx %,10.0f req/s", run, c.name(),
            p.requestsPerSecond(), n.requestsPerSecond());
      }
      double p = Distribution.median(ours);
      double n = Distribution.median(theirs);
      report.line("median  %-18s pressline %,10.0f req/s   nginx %,10.0f req/s   ratio %.3f", c.name(), p, n, p / n);
      report.figure(c.name() + ".pressline.runs", ours);
      report.figure(c.name() + ".nginx.runs", theirs);
      chart.get("Pressline feed-service").add(p);
      chart.get("nginx (same bytes)").add(n);
      if (c.name().startsWith("200 full")) {
        report.target("feed 200 / nginx", p / n, "x", ">=", 0.5);
      } else if (c.name().startsWith("304")) {
        report.target("feed 304 / nginx", p / n, "x", ">=", 0.8);
      } else {
        report.line("  (gzip has no target; reported for comparison)");
      }
    }
    new ChartWriter(ws.results()).bars("feed-serving", "GET /feed.xml, wrk " + connections + " connections (median of "
        + runs + ")", "requests per second", cases.stream().map(Case::name).toList(), chart);
    report.line("chart: feed-serving.png");
  }

  private static HttpResponse<byte[]> get(String url, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] gzipped(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    }
    return out.toByteArray();
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("check failed: " + what);
    }
  }
}
