package dev.pressline.bench;

import dev.pressline.bench.feed.FeedServingBench;
import dev.pressline.bench.ingest.IngestThroughputBench;
import dev.pressline.bench.latency.LatencyBench;
import dev.pressline.bench.mail.MailThroughputBench;
import dev.pressline.bench.report.JmhReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The end-to-end benchmark drivers; the bench/*.sh scripts call these after installing the tools. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    subcommands = {MailThroughputBench.class, LatencyBench.class, FeedServingBench.class,
        IngestThroughputBench.class, JmhReport.class})
public final class BenchMain implements Runnable {

  public static void main(String[] args) {
    // drivers start brokers and child processes: exit explicitly once the command is done
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
