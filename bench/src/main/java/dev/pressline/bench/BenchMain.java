package dev.pressline.bench;

import dev.pressline.bench.feed.FeedServingBench;
import dev.pressline.bench.ingest.IngestThroughputBench;
import dev.pressline.bench.latency.LatencyBench;
import dev.pressline.bench.mail.MailThroughputBench;
import dev.pressline.bench.report.JmhReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The end-to-end benchmark drivers; the bench/*.sh scripts call these after installing the tools.
 * A driver's exit code is the script's: 0 when every measurement was sound, non-zero when one was
 * degenerate (see {@link dev.pressline.bench.report.Report#exitCode()}) or the driver failed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    subcommands = {MailThroughputBench.class, LatencyBench.class, FeedServingBench.class,
        IngestThroughputBench.class, JmhReport.class})
public final class BenchMain implements Runnable {

  public static void main(String[] args) {
    // drivers start brokers and child processes: exit explicitly once the command is done
    System.exit(commandLine().execute(args));
  }

  /** The command line the scripts run, with its failure message; tests run drivers through it too. */
  static CommandLine commandLine() {
    return new CommandLine(new BenchMain()).setExecutionExceptionHandler((error, command, parsed) -> {
      // one plain line naming the benchmark before picocli's stack trace, which follows as usual
      command.getErr().printf("bench %s FAILED: %s%n", command.getCommandName(),
          error.getMessage() == null ? error : error.getMessage());
      command.getErr().flush();
      throw error;
    });
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
