package dev.pressline.publisher.admin;

import dev.pressline.events.EventJson;
import dev.pressline.events.SubscriberEvent;
import dev.pressline.publisher.PublisherConfig;
import dev.pressline.publisher.deliverylog.DeliveryLogView;
import dev.pressline.publisher.deliverylog.DeliveryReports;
import dev.pressline.publisher.deliverylog.PostReport;
import dev.pressline.publisher.subscribe.SubscriberList;
import dev.pressline.publisher.subscribe.SubscriberWriter;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicFollower;
import dev.pressline.support.kafka.TopicSetup;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Operator commands, run against the same Kafka cluster as the service:
 * {@code import}, {@code export}, {@code report} and {@code retry-failed}. Started by
 * {@code java -jar publisher-service-all.jar <command> …} (PublisherMain hands arguments here).
 */
@Command(name = "publisher-service", mixinStandardHelpOptions = true,
    description = "Runs the publisher without arguments; with a command, does one operator task.",
    subcommands = {PublisherAdmin.Import.class, PublisherAdmin.Export.class, PublisherAdmin.Report.class,
        PublisherAdmin.RetryFailed.class})
public final class PublisherAdmin {

  private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

  private final KafkaSettings kafka;

  public PublisherAdmin(Settings settings) {
    this.kafka = PublisherConfig.from(settings).kafka();
  }

  /** Runs one command line; returns the exit code. */
  public static int run(Settings settings, PrintWriter out, PrintWriter err, String... args) {
    CommandLine line = new CommandLine(new PublisherAdmin(settings));
    line.setOut(out);
    line.setErr(err);
    return line.execute(args);
  }

  private Map<String, SubscriberEvent> currentSubscribers() throws InterruptedException {
    SubscriberList list = new SubscriberList();
    try (TopicFollower<SubscriberEvent> follower = new TopicFollower<>(kafka, kafka.topics().subscribers(),
        JsonSerde.deserializer(new EventJson(), SubscriberEvent.class), list).start()) {
      if (!follower.awaitCaughtUp(READ_TIMEOUT)) {
        throw new IllegalStateException("could not read the subscriber list from " + kafka.bootstrapServers());
      }
    }
    Map<String, SubscriberEvent> map = new HashMap<>();
    list.all().forEach(s -> map.put(s.email(), s));
    return map;
  }

  private <T> T withLog(LogTask<T> task) throws Exception {
    try (DeliveryLogView view = new DeliveryLogView(kafka, "publisher-admin-log").start();
        DeliveryReports reports = new DeliveryReports(view, kafka, "publisher-admin", Clock.systemUTC())) {
      if (!view.awaitCaughtUp(READ_TIMEOUT)) {
        throw new IllegalStateException("could not read the delivery log from " + kafka.bootstrapServers());
      }
      return task.run(reports);
    }
  }

  private interface LogTask<T> {
    T run(DeliveryReports reports) throws Exception;
  }

  @Command(name = "import", description = "Adds subscribers from a CSV file with an 'email' column.")
  static final class Import implements Callable<Integer> {
    @CommandLine.ParentCommand PublisherAdmin admin;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the CSV file") Path file;

    @Option(names = "--confirmed",
        description = "record them as confirmed (only when they already agreed to receive the newsletter)")
    boolean confirmed;

    @Option(names = "--source", description = "where they came from, kept with each subscriber")
    String source;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      new TopicSetup(admin.kafka).ensureTopics();
      int total;
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        total = SubscriberCsv.countRows(reader);
      }
      Map<String, SubscriberEvent> current = admin.currentSubscribers();
      ImportSummary summary;
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
          SubscriberWriter writer = new SubscriberWriter(admin.kafka, "publisher-admin-import", Clock.systemUTC())) {
        String from = source != null ? source : "import:" + file.getFileName();
        summary = new SubscriberCsv(writer).importFrom(reader, from, confirmed, current,
            done -> progress(err, done, total));
      }
      err.println();
      out.println(summary.headline(confirmed));
      summary.skipped().forEach(reason -> out.println("  skipped " + reason));
      out.flush();
      return 0;
    }

    private static void progress(PrintWriter err, int done, int total) {
      int width = 30;
      int filled = total == 0 ? width : (int) ((long) done * width / total);
      int percent = total == 0 ? 100 : (int) ((long) done * 100 / total);
      err.printf("\rImporting [%s%s] %3d%% %,d/%,d", "#".repeat(filled), ".".repeat(width - filled), percent, done,
          total);
      err.flush();
    }
  }

  @Command(name = "export", description = "Writes the subscriber list as CSV (email, status, changed_at, source).")
  static final class Export implements Callable<Integer> {
    @CommandLine.ParentCommand PublisherAdmin admin;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "the file to write; standard output when left out")
    Path file;

    @Override
    public Integer call() throws Exception {
      var subscribers = admin.currentSubscribers().values().stream()
          .sorted((a, b) -> a.email().compareTo(b.email())).toList();
      if (file == null) {
        SubscriberCsv.exportTo(spec.commandLine().getOut(), subscribers);
      } else {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          SubscriberCsv.exportTo(writer, subscribers);
        }
        spec.commandLine().getOut().printf("Exported %d subscriber(s) to %s%n", subscribers.size(), file);
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "report", description = "Shows how many got a post: sent, pending, failed, bounced, and who.")
  static final class Report implements Callable<Integer> {
    @CommandLine.ParentCommand PublisherAdmin admin;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the post's slug") String slug;

    @Override
    public Integer call() throws Exception {
      PostReport report = admin.withLog(reports -> reports.report(slug));
      PrintWriter out = spec.commandLine().getOut();
      out.printf("Post %s: %s%n", slug, report.fanOut().isEmpty() ? "not sent out (yet)" : report.fanOut());
      out.printf("  sent %d, pending %d, failed %d, bounced %d%n", report.sent(), report.pending(), report.failed(),
          report.bounced());
      report.failedRecipients().forEach(r -> out.println("  failed: " + r));
      report.bouncedRecipients().forEach(r -> out.println("  bounced: " + r));
      report.pendingRecipients().forEach(r -> out.println("  pending: " + r));
      report.possibleDuplicates().forEach(r -> out.println("  possibly twice (in flight at a crash): " + r));
      out.flush();
      return 0;
    }
  }

  @Command(name = "retry-failed", description = "Sends a post again to the subscribers for whom it failed.")
  static final class RetryFailed implements Callable<Integer> {
    @CommandLine.ParentCommand PublisherAdmin admin;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the post's slug") String slug;

    @Override
    public Integer call() throws Exception {
      int count = admin.withLog(reports -> reports.retryFailed(slug));
      spec.commandLine().getOut().printf("Queued %d failed deliveries of %s again%n", count, slug);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
