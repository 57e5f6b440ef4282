package dev.pressline.bench.mail;

import dev.pressline.bench.CommonOptions;
import dev.pressline.bench.content.EmailFixture;
import dev.pressline.bench.content.SamplePosts;
import dev.pressline.bench.report.ChartWriter;
import dev.pressline.bench.report.Distribution;
import dev.pressline.bench.report.Report;
import dev.pressline.bench.run.BenchKafka;
import dev.pressline.bench.run.ChildProcess;
import dev.pressline.bench.run.DeliveryLogWatcher;
import dev.pressline.bench.run.Launch;
import dev.pressline.bench.run.ServiceProcess;
import dev.pressline.bench.run.Workspace;
import dev.pressline.events.PostEvent;
import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.support.kafka.KafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Benchmark 1: one post to many confirmed subscribers, each mail with its own unsubscribe link,
 * delivered by publisher-service (its shaded jar, own JVM) into smtp-sink on loopback. In the same
 * run: smtp-source sending as many messages of the same size over reused connections at the same
 * concurrency (the practical ceiling), nodemailer's pooled transport (a common peer), and the
 * publisher's peak heap for a much longer list under a fixed heap limit.
 */
@Command(name = "mail", description = "mail throughput against smtp-source and nodemailer, and peak heap")
public final class MailThroughputBench implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Option(names = "--subscribers", description = "confirmed subscribers of the post (default 100000)")
  int subscribers = 100_000;

  @Option(names = "--concurrency", description = "SMTP connections for all three senders (default 8)")
  int concurrency = 8;

  @Option(names = "--runs", description = "measured runs of each sender; the median is reported (default 3)")
  int runs = 3;

  @Option(names = "--nodemailer-messages", description = "messages per nodemailer run (default 20000)")
  int nodemailerMessages = 20_000;

  @Option(names = "--heap-subscribers", description = "subscribers of the heap run (default 1000000; 0 skips it)")
  int heapSubscribers = 1_000_000;

  @Option(names = "--heap-limit", description = "-Xmx of the heap run, the target (default 512m)")
  String heapLimit = "512m";

  @Option(names = "--heap-timeout", description = "longest the heap run may send, seconds (default 150)")
  int heapTimeoutSeconds = 150;

  @Option(names = "--profile", description = "record a JFR profile of each publisher run (in the scratch folder)")
  boolean profile;

  private Workspace ws;
  private SamplePosts samples;

  @Override
  public Integer call() throws Exception {
    ws = common.workspace();
    if (ws.smoke()) {
      subscribers = 300;
      runs = 1;
      nodemailerMessages = 300;
      heapSubscribers = Math.min(heapSubscribers, 2_000);
    }
    samples = SamplePosts.load(ws.seeds());
    // a heap-only run (--runs 0) keeps the throughput figures of an earlier run
    Report report = new Report(runs > 0 ? "mail-throughput" : "mail-heap-" + heapLimit, ws.results(), ws.smoke());
    PostEvent post = samples.event(0, "bench-mail", Instant.now());
    EmailFixture fixture = new EmailFixture();
    int messageBytes = EmailFixture.encode(
        fixture.personalise(fixture.prepare(fixture.renderShared(post)), post, "reader00001@example.com")).length;
    report.line("post '%s': one personalised email is %,d bytes encoded", post.title(), messageBytes);
    if (runs > 0) {
      report.line("%,d subscribers, %d SMTP connections, %d runs each, smtp-sink on loopback", subscribers,
          concurrency, runs);
    }
    report.figure("subscribers", subscribers);
    report.figure("concurrency", concurrency);
    report.figure("messageBytes", messageBytes);

    try (BenchKafka kafka = BenchKafka.start(ws.scratchDir("broker"))) {
      if (runs > 0) {
        throughput(kafka, report, messageBytes);
      }
      if (heapSubscribers > 0) {
        heapRun(kafka, report);
      }
    } finally {
      report.write();
    }
    return report.exitCode();
  }

  /** Publisher, smtp-source and nodemailer, run after run, and their medians against the targets. */
  private void throughput(BenchKafka kafka, Report report, int messageBytes) throws Exception {
    List<Double> pressline = new ArrayList<>();
    List<Double> presslineSending = new ArrayList<>();
    List<Double> ceiling = new ArrayList<>();
    List<Double> peer = new ArrayList<>();
    List<double[][]> timelines = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      // interleaved, so a burst of load from elsewhere on the machine hits all three alike
      PublisherRun result = publisherRun(kafka, run, subscribers, "-Xmx1g", Duration.ofMinutes(15));
      pressline.add(result.perSecond());
      presslineSending.add(result.sendingPerSecond());
      timelines.add(result.timeline());
      report.line("run %d  pressline   %,10.0f msg/s (post produced -> last accepted; %,.0f msg/s first->last "
          + "accepted, %d failed)", run, result.perSecond(), result.sendingPerSecond(), result.failed());
      report.checkAll("run " + run + " pressline", result.sent(), subscribers, "mails accepted by smtp-sink");
      report.checkNone("run " + run + " pressline", result.failed(), "mails failed or bounced");
      report.checkPositive("run " + run + " pressline rate", result.perSecond(), "msg/s");
      double source = smtpSource(report, run, subscribers, messageBytes);
      ceiling.add(source);
      report.line("run %d  smtp-source %,10.0f msg/s", run, source);
      double node = nodemailer(report, run, nodemailerMessages, messageBytes);
      peer.add(node);
      report.line("run %d  nodemailer  %,10.0f msg/s (%,d messages)", run, node, nodemailerMessages);
    }
    double p = Distribution.median(pressline);
    double c = Distribution.median(ceiling);
    double n = Distribution.median(peer);
    report.line("medians: pressline %,.0f msg/s, smtp-source %,.0f msg/s, nodemailer %,.0f msg/s", p, c, n);
    report.figure("pressline.msgPerSecond.runs", pressline);
    report.figure("pressline.sendingMsgPerSecond.runs", presslineSending);
    report.figure("smtpSource.msgPerSecond.runs", ceiling);
    report.figure("nodemailer.msgPerSecond.runs", peer);
    report.target("pressline msg/s (median)", p, "msg/s", ">=", 5_000);
    report.target("pressline / smtp-source", p / c, "x", ">=", 0.45);
    report.target("pressline / nodemailer", p / n, "x", ">=", 10);
    charts(report, pressline, ceiling, peer, timelines.get(medianIndex(pressline)));
  }

  /**
   * The publisher with a long list under the heap limit of the target. A run that dies of
   * OutOfMemoryError is a result too: the GC log says how far the heap got.
   */
  private void heapRun(BenchKafka kafka, Report report) throws Exception {
    Path gcLog = ws.scratch().resolve("publisher-" + (runs + 1) + "-gc.log");
    PublisherRun heap = null;
    String failure = null;
    try {
      heap = publisherRun(kafka, runs + 1, heapSubscribers, "-Xmx" + heapLimit, Duration.ofSeconds(heapTimeoutSeconds));
    } catch (IllegalStateException e) {
      failure = e.getMessage().lines().filter(l -> l.contains("OutOfMemoryError") || l.contains("stopped"))
          .findFirst().orElse(e.getMessage().lines().findFirst().orElse(""));
    }
    GcLog gc = GcLog.read(gcLog);
    // a publisher that died or never became healthy under the limit did not cope with the list
    boolean failed = heap == null || heap.outOfMemory();
    String outcome = heap == null ? "the publisher died before it sent anything (" + failure.strip() + ")"
        : String.format("%,d of %,d sent (%s), %,.0f msg/s", heap.sent(), heapSubscribers,
            heap.complete() ? "complete" : "stopped at the time limit", heap.perSecond());
    report.line("heap run: %,d subscribers with -Xmx%s: %s; %d collections, peak in use %d MiB, peak after GC "
            + "%d MiB, peak reserved %d MiB%s", heapSubscribers, heapLimit, outcome, gc.collections(),
        gc.peakBeforeMiB(), gc.peakAfterMiB(), gc.peakCommittedMiB(), failed ? ""
            : String.format("; live after a full GC at the end %d MiB", gc.lastAfterMiB()));
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("subscribers", heapSubscribers);
    figures.put("limit", heapLimit);
    figures.put("sent", heap == null ? 0 : heap.sent());
    figures.put("complete", heap != null && heap.complete());
    figures.put("failedUnderLimit", failed);
    figures.put("collections", gc.collections());
    figures.put("peakInUseMiB", gc.peakBeforeMiB());
    figures.put("peakAfterGcMiB", gc.peakAfterMiB());
    figures.put("peakReservedMiB", gc.peakCommittedMiB());
    figures.put("liveAtEndMiB", failed ? null : gc.lastAfterMiB());
    report.figure("heap-" + heapLimit, figures);
    // dying of OutOfMemoryError is a result (the target missed); a GC log without a collection is no figure
    if (gc.collections() == 0) {
      report.degenerate("heap run", "the GC log " + gcLog + " shows no collection, so there is no peak heap");
    }
    if (heap != null) {
      report.checkNone("heap run", heap.failed(), "mails failed or bounced");
    }
    if (failed) {
      report.line("  publisher peak heap, %,d subscribers: did not cope within -Xmx%s  -> MISSED (target <= 512 MiB)",
          heapSubscribers, heapLimit);
    } else {
      report.target("publisher peak heap in use, " + heapSubscribers + " subscribers", gc.peakBeforeMiB(), "MiB",
          "<=", 512);
      if (!heap.complete()) {
        report.line("  the heap run stopped at the time limit: the peak above covers the part it got through");
      }
    }
  }

  private record PublisherRun(int sent, int failed, boolean complete, double perSecond, double sendingPerSecond,
      double[][] timeline, Path gcLog, boolean outOfMemory) {}

  private PublisherRun publisherRun(BenchKafka kafka, int run, int count, String xmx, Duration timeout)
      throws Exception {
    KafkaSettings topics = kafka.freshTopics("mail");
    loadSubscribers(topics, count);
    Path gcLog = ws.scratch().resolve("publisher-" + run + "-gc.log");
    try (SmtpSink sink = SmtpSink.start(ws.scratch().resolve("smtp-sink-publisher-" + run + ".log"))) {
      List<String> jvm = new ArrayList<>(List.of(xmx, "-Xlog:gc:file=" + gcLog, "-XX:+ExitOnOutOfMemoryError"));
      if (profile) {
        jvm.add("-XX:StartFlightRecording=settings=profile,filename="
            + ws.scratch().resolve("publisher-" + run + ".jfr"));
      }
      try (ServiceProcess publisher = new Launch(ws).publisher(topics, Integer.toString(run), sink.port(),
          concurrency, jvm)) {
        PostEvent post = samples.event(run, "bench-mail-" + run, Instant.now());
        Instant produced;
        try (KafkaProducer<String, PostEvent> producer = BenchKafka.loader(topics, "bench-post")) {
          produced = Instant.now();
          producer.send(new ProducerRecord<>(topics.topics().posts(), post.slug(), post)).get();
        }
        boolean complete = awaitOutcomes(publisher, count, timeout);
        // a full collection now puts the live data into the GC log's last line
        ChildProcess.run("jcmd", List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            Long.toString(publisher.pid()), "GC.run"), Map.of(), ws.scratch().resolve("jcmd-" + run + ".log"),
            Duration.ofMinutes(2));
        // the times come from the log's SENT entries (each the moment of the server's 250 reply), read
        // once the send is over: reading the log while it grows would take CPU from the publisher
        List<Instant> times;
        int failed;
        try (DeliveryLogWatcher watcher = new DeliveryLogWatcher(topics).start()) {
          if (complete) {
            if (!watcher.awaitOutcomes(count, Duration.ofMinutes(5))) {
              throw new IllegalStateException("the publisher counted " + count + " outcomes, but the delivery log "
                  + "holds only " + (watcher.sent() + watcher.failed()));
            }
          } else {
            // stopped at the time limit: what the log holds a moment later
            Thread.sleep(2_000);
          }
          times = watcher.sentTimes();
          failed = watcher.failed();
        }
        boolean oom = Files.readString(publisher.logFile()).contains("OutOfMemoryError");
        if (times.isEmpty()) {
          throw new IllegalStateException("the publisher sent nothing; see " + publisher.logFile());
        }
        Instant first = times.stream().min(Instant::compareTo).orElseThrow();
        Instant last = times.stream().max(Instant::compareTo).orElseThrow();
        double total = Duration.between(produced, last).toNanos() / 1e9;
        double sending = Duration.between(first, last).toNanos() / 1e9;
        return new PublisherRun(times.size(), failed, complete, times.size() / total,
            sending > 0 ? (times.size() - 1) / sending : 0, timeline(produced, times), gcLog, oom);
      }
    }
  }

  private static final Pattern OUTCOME_COUNTER = Pattern.compile(
      "(?m)^pressline_publisher_mails_(?:sent|failed|bounced)_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$");

  /**
   * Waits until the publisher's own counters ({@code /metrics}) show {@code count} outcomes, asking
   * every quarter second, which costs it next to nothing; false at the time limit.
   */
  private static boolean awaitOutcomes(ServiceProcess publisher, int count, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (outcomes(publisher.get("/metrics")) >= count) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  /** Sent, failed and bounced together, from the Prometheus text of {@code /metrics}. */
  static long outcomes(String metrics) {
    Matcher m = OUTCOME_COUNTER.matcher(metrics);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return (long) total;
  }

  /** Messages accepted per second, second by second after the post was produced. */
  private static double[][] timeline(Instant start, List<Instant> times) {
    long lastSecond = times.stream().mapToLong(t -> Duration.between(start, t).toSeconds()).max().orElse(0);
    double[] x = new double[(int) lastSecond + 1];
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    for (Instant t : times) {
      long second = Math.max(0, Duration.between(start, t).toSeconds());
      y[(int) second]++;
    }
    return new double[][] {x, y};
  }

  private static void loadSubscribers(KafkaSettings topics, int count) throws Exception {
    Instant now = Instant.now();
    try (KafkaProducer<String, SubscriberEvent> producer = BenchKafka.loader(topics, "bench-subscribers")) {
      for (int i = 0; i < count; i++) {
        String email = String.format("reader%07d@example.com", i);
        producer.send(new ProducerRecord<>(topics.topics().subscribers(), email,
            new SubscriberEvent(SubscriberEvent.SCHEMA_VERSION, email, SubscriberStatus.CONFIRMED, now, "bench")));
      }
      producer.flush();
    }
  }

  private static final Pattern SMTP_SOURCE_COUNT = Pattern.compile("(?m)(?:^|\\r)(\\d+)(?=\\r|$)");
  private static final Pattern NODE_RESULT = Pattern.compile("\"sent\":(\\d+),\"seconds\":([0-9.eE+-]+)");

  private double smtpSource(Report report, int run, int count, int messageBytes) throws Exception {
    try (SmtpSink sink = SmtpSink.start(ws.scratch().resolve("smtp-sink-source-" + run + ".log"))) {
      long started = System.nanoTime();
      // -d: keep each connection for the next message, as the publisher's pool does; -c: count the
      // messages sent. Without -A smtp-source stops with an error at the first reply that is not a
      // success, so an exit status of 0 means every counted message was accepted.
      String output = ChildProcess.run("smtp-source", List.of("smtp-source", "-c", "-d", "-s",
              Integer.toString(concurrency), "-m", Integer.toString(count), "-l", Integer.toString(messageBytes),
              "-f", "newsletter@localhost", "-t", "reader@example.com", "127.0.0.1:" + sink.port()), Map.of(),
          ws.scratch().resolve("smtp-source-" + run + ".log"), Duration.ofMinutes(10));
      double rate = count / ((System.nanoTime() - started) / 1e9);
      report.checkAll("run " + run + " smtp-source", smtpSourceCount(output), count, "messages sent");
      report.checkPositive("run " + run + " smtp-source rate", rate, "msg/s");
      return rate;
    }
  }

  /** The last figure of smtp-source's running counter ({@code -c}: "1\r2\r…N\n"); 0 when it printed none. */
  static long smtpSourceCount(String output) {
    Matcher m = SMTP_SOURCE_COUNT.matcher(output);
    long last = 0;
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    return last;
  }

  private double nodemailer(Report report, int run, int count, int messageBytes) throws Exception {
    Path script = ws.root().resolve("bench").resolve("node").resolve("nodemailer-pool.js");
    try (SmtpSink sink = SmtpSink.start(ws.scratch().resolve("smtp-sink-node-" + run + ".log"))) {
      String output = ChildProcess.run("nodemailer", List.of("node", script.toString(),
              "--port", Integer.toString(sink.port()), "--count", Integer.toString(count),
              "--concurrency", Integer.toString(concurrency), "--size", Integer.toString(messageBytes)),
          Map.of(), ws.scratch().resolve("nodemailer-" + run + ".log"), Duration.ofMinutes(20));
      Matcher m = NODE_RESULT.matcher(output);
      if (!m.find()) {
        report.degenerate("run " + run + " nodemailer", "it printed no result: " + output.strip());
        return Double.NaN;
      }
      report.checkAll("run " + run + " nodemailer", Long.parseLong(m.group(1)), count, "messages sent");
      double rate = count / Double.parseDouble(m.group(2));
      report.checkPositive("run " + run + " nodemailer rate", rate, "msg/s");
      return rate;
    }
  }

  private static int medianIndex(List<Double> values) {
    double median = Distribution.median(values);
    return values.indexOf(median);
  }

  private void charts(Report report, List<Double> pressline, List<Double> ceiling, List<Double> peer,
      double[][] timeline) {
    ChartWriter charts = new ChartWriter(ws.results());
    Map<String, List<Double>> bars = new LinkedHashMap<>();
    bars.put("Pressline publisher", List.of(Distribution.median(pressline)));
    bars.put("smtp-source (C, ceiling)", List.of(Distribution.median(ceiling)));
    bars.put("nodemailer pool", List.of(Distribution.median(peer)));
    charts.bars("mail-throughput", "Mail throughput into smtp-sink, " + concurrency + " connections (median of "
            + runs + ")", "messages per second", List.of("msg/s"),
        bars);
    double end = timeline[0].length;
    Map<String, double[][]> lines = new LinkedHashMap<>();
    lines.put("Pressline (median run)", timeline);
    lines.put("smtp-source median", new double[][] {{1, end}, {Distribution.median(ceiling), Distribution.median(ceiling)}});
    lines.put("nodemailer median", new double[][] {{1, end}, {Distribution.median(peer), Distribution.median(peer)}});
    charts.lines("mail-throughput-over-time", "Messages accepted per second after the post was published",
        "seconds after the post reached Kafka", "messages per second", lines, false);
    report.line("charts: mail-throughput.png, mail-throughput-over-time.png");
  }
}
