package dev.pressline.bench.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pressline.bench.CommonOptions;
import dev.pressline.bench.content.SamplePosts;
import dev.pressline.bench.report.ChartWriter;
import dev.pressline.bench.report.Distribution;
import dev.pressline.bench.report.Report;
import dev.pressline.bench.run.BenchKafka;
import dev.pressline.bench.run.ChildProcess;
import dev.pressline.bench.run.FreePort;
import dev.pressline.bench.run.Launch;
import dev.pressline.bench.run.ServiceProcess;
import dev.pressline.bench.run.Workspace;
import dev.pressline.events.EventJson;
import dev.pressline.events.PostEvent;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Benchmark 4: many post files dropped into the inbox at once until every post is on Kafka
 * (against a bare Kafka producer writing the same events: the ceiling), and feed-service's
 * start-to-ready with that many posts in the topic (against an empty topic), timed by hyperfine.
 */
@Command(name = "ingest", description = "ingest throughput and feed-service start-to-ready")
public final class IngestThroughputBench implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Option(names = "--files", description = "post files dropped at once (default 10000)")
  int files = 10_000;

  @Option(names = "--runs", description = "measured runs; the median is reported (default 3)")
  int runs = 3;

  @Option(names = "--profile", description = "record a JFR profile of each ingest run (in the scratch folder)")
  boolean profile;

  @Override
  public Integer call() throws Exception {
    Workspace ws = common.workspace();
    if (ws.smoke()) {
      files = 20;
      runs = 1;
    }
    Report report = new Report("ingest-throughput", ws.results(), ws.smoke());
    SamplePosts samples = SamplePosts.load(ws.seeds());
    report.line("%,d Markdown posts (sample texts, %d runs) moved into the inbox at once", files, runs);
    List<Double> ingestSeconds = new ArrayList<>();
    List<Double> producerSeconds = new ArrayList<>();
    KafkaSettings full = null;
    try (BenchKafka kafka = BenchKafka.start(ws.scratchDir("broker"))) {
      for (int run = 1; run <= runs; run++) {
        KafkaSettings topics = kafka.freshTopics("ingest");
        double seconds = ingestRun(ws, samples, topics, run);
        ingestSeconds.add(seconds);
        double ceiling = producerRun(report, samples, kafka.freshTopics("producer"), run);
        producerSeconds.add(ceiling);
        report.line("run %d  ingest-service %8.2f s (%,.0f posts/s)   bare producer %6.2f s", run, seconds,
            files / seconds, ceiling);
        report.checkPositive("run " + run + " ingest-service", seconds, "s");
        report.checkPositive("run " + run + " bare producer", ceiling, "s");
        full = topics;
      }
      double ingest = Distribution.median(ingestSeconds);
      double producer = Distribution.median(producerSeconds);
      report.line("medians: ingest %.2f s, bare producer %.2f s, ratio %.1f x", ingest, producer, ingest / producer);
      report.figure("ingest.seconds.runs", ingestSeconds);
      report.figure("producer.seconds.runs", producerSeconds);
      report.target(files + " files to Kafka (s, median)", ingest, "s", "<=", 20);

      // feed-service start-to-ready, by hyperfine: with every post of the last run, and with none
      KafkaSettings empty = kafka.freshTopics("empty");
      Map<String, Double> ready = startToReady(ws, kafka, full, empty);
      // hyperfine names each result after its --command-name; one it did not report is no figure
      double withPosts = ready.getOrDefault("full", Double.NaN);
      double withoutPosts = ready.getOrDefault("empty", Double.NaN);
      report.checkPositive("feed start-to-ready with " + files + " posts (hyperfine)", withPosts, "s");
      report.checkPositive("feed start-to-ready with an empty topic (hyperfine)", withoutPosts, "s");
      report.line("feed-service start-to-ready (hyperfine median of %d): %.2f s with %,d posts, %.2f s with an "
          + "empty topic (JVM start and topic read floor)", ws.smoke() ? 2 : 5, withPosts, files, withoutPosts);
      report.figure("feedReady.seconds", ready);
      report.target("feed start-to-ready with " + files + " posts (s)", withPosts, "s", "<=", 5);

      Map<String, List<Double>> bars = new LinkedHashMap<>();
      bars.put("Pressline", List.of(ingest, withPosts));
      bars.put("baseline", List.of(producer, withoutPosts));
      new ChartWriter(ws.results()).bars("ingest-throughput", files + " posts: ingest to Kafka and feed start-to-ready",
          "seconds (lower is better)", List.of("inbox -> Kafka (baseline: bare producer)",
              "feed start-to-ready (baseline: empty topic)"), bars);
      report.line("chart: ingest-throughput.png");
    }
    report.write();
    return report.exitCode();
  }

  private double ingestRun(Workspace ws, SamplePosts samples, KafkaSettings topics, int run) throws Exception {
    Path staging = ws.scratchDir("staging-" + run);
    Path inbox = ws.scratchDir("inbox-" + run);
    List<Path> written = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      String slug = "bench-ingest-" + run + "-" + i;
      Path file = staging.resolve(slug + ".md");
      Files.writeString(file, samples.markdown(i, slug), StandardCharsets.UTF_8);
      written.add(file);
    }
    Map<String, String> extra = profile
        ? Map.of("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=settings=profile,filename="
            + ws.scratch().resolve("ingest-" + run + ".jfr"))
        : Map.of();
    try (ServiceProcess ingest = new Launch(ws).ingest(topics, "ingest-" + run, inbox, extra);
        KafkaConsumer<String, PostEvent> consumer = new KafkaConsumer<>(
            ClientProperties.reader(topics, "bench-posts-reader"), new StringDeserializer(),
            JsonSerde.deserializer(new EventJson(), PostEvent.class))) {
      String topic = topics.topics().posts();
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long started = System.nanoTime();
      for (Path file : written) {
        Files.move(file, inbox.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      }
      Set<String> seen = new HashSet<>();
      long deadline = started + Duration.ofMinutes(10).toNanos();
      long last = started;
      while (seen.size() < files && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, PostEvent> record : consumer.poll(Duration.ofMillis(50))) {
          if (seen.add(record.key())) {
            last = System.nanoTime();
          }
        }
      }
      if (seen.size() < files) {
        throw new IllegalStateException("only " + seen.size() + " of " + files + " posts reached Kafka in 10 minutes;"
            + " see " + ingest.logFile());
      }
      return (last - started) / 1e9;
    }
  }

  /** The ceiling: the same events written by one producer with the pipeline's settings. */
  private double producerRun(Report report, SamplePosts samples, KafkaSettings topics, int run) throws Exception {
    EventJson json = new EventJson();
    List<PostEvent> events = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < files; i++) {
      events.add(samples.event(i, "bench-producer-" + run + "-" + i, now));
    }
    try (KafkaProducer<String, PostEvent> producer = new KafkaProducer<>(
        ClientProperties.producer(topics, "bench-producer"), new StringSerializer(),
        JsonSerde.serializer(json))) {
      // flush() does not fail for a record the broker refused: count the acknowledgements instead
      AtomicInteger acknowledged = new AtomicInteger();
      AtomicReference<Exception> firstError = new AtomicReference<>();
      long started = System.nanoTime();
      for (PostEvent event : events) {
        producer.send(new ProducerRecord<>(topics.topics().posts(), event.slug(), event), (metadata, error) -> {
          if (error == null) {
            acknowledged.incrementAndGet();
          } else {
            firstError.compareAndSet(null, error);
          }
        });
      }
      producer.flush();
      double seconds = (System.nanoTime() - started) / 1e9;
      if (!report.checkAll("run " + run + " bare producer", acknowledged.get(), files, "events acknowledged")
          && firstError.get() != null) {
        report.degenerate("run " + run + " bare producer", "the first refusal was " + firstError.get());
      }
      return seconds;
    }
  }

  private Map<String, Double> startToReady(Workspace ws, BenchKafka kafka, KafkaSettings full, KafkaSettings empty)
      throws Exception {
    Path script = ws.root().resolve("bench").resolve("lib").resolve("feed-ready.sh");
    Path json = ws.scratch().resolve("hyperfine-feed-ready.json");
    String jar = ws.serviceJar("feed-service").toString();
    int port = FreePort.pick().port();
    String media = ws.scratchDir("media-ready").toString();
    List<String> command = new ArrayList<>(List.of("hyperfine", "--runs", ws.smoke() ? "2" : "5", "--warmup", "1",
        "--export-json", json.toString(), "--command-name", "full", "--command-name", "empty"));
    for (KafkaSettings topics : List.of(full, empty)) {
      command.add(String.join(" ", "bash", script.toString(), jar, kafka.bootstrapServers(), topics.topics().prefix(),
          Integer.toString(port), media, ws.scratch().resolve("feed-ready-" + (topics == full ? "full" : "empty")
              + ".log").toString()));
    }
    ChildProcess.run("hyperfine", command, Map.of(), ws.scratch().resolve("hyperfine.log"), Duration.ofMinutes(15));
    JsonNode results = new ObjectMapper().readTree(json.toFile()).get("results");
    Map<String, Double> medians = new LinkedHashMap<>();
    for (JsonNode result : results) {
      medians.put(result.get("command").asText(), result.get("median").asDouble());
    }
    return medians;
  }
}
