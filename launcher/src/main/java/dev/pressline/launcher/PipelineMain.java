package dev.pressline.launcher;

import dev.pressline.support.config.Settings;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pipeline up}: the whole pipeline on this machine, for a newcomer's first try. */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = "Pressline: newsletter and podcast publishing pipeline.",
    subcommands = {PipelineMain.Up.class})
public final class PipelineMain {

  private static final Logger log = LoggerFactory.getLogger(PipelineMain.class);

  public static void main(String[] args) {
    System.exit(new CommandLine(new PipelineMain()).execute(args));
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = {
        "Starts an embedded Kafka broker, a mail catcher and the three services in one process.",
        "Settings come from PRESSLINE_* environment variables (see README). Ctrl-C stops everything;",
        "the next run finds the posts, subscribers and feed of this one."
      })
  static final class Up implements Callable<Integer> {
    @Override
    public Integer call() throws InterruptedException {
      EmbeddedPipeline pipeline;
      try {
        Settings settings = Settings.fromEnvironment();
        pipeline = EmbeddedPipeline.start(LauncherConfig.from(settings), settings);
      } catch (RuntimeException e) {
        log.debug("Start failed", e);
        System.err.println("\nThe pipeline did not start: " + e.getMessage() + hint(e));
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    System.out.println("\nStopping the pipeline…");
                    pipeline.close();
                    stopped.countDown();
                  },
                  "pipeline-shutdown"));
      printWelcome(pipeline);
      stopped.await();
      return 0;
    }

    /** What an operator can do about the usual reasons a start fails. */
    private static String hint(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof java.net.BindException) {
          return "\nAnother program already uses that port: stop it, or choose other ports with"
              + " PRESSLINE_KAFKA_PORT, PRESSLINE_SMTP_PORT, PRESSLINE_MAILCATCHER_PORT,"
              + " PRESSLINE_FEED_PORT, PRESSLINE_PUBLISHER_PORT, PRESSLINE_INGEST_PORT,"
              + " PRESSLINE_CONSOLE_PORT (see README).";
        }
      }
      return "\nRun with PRESSLINE_LOG_LEVEL=DEBUG for the details.";
    }

    private static void printWelcome(EmbeddedPipeline pipeline) {
      var layout = pipeline.layout();
      var services = pipeline.services();
      String feed = "http://localhost:" + services.feed().httpPort();
      System.out.printf(
          """

          Pressline is running.
            Drop posts (.txt or .md) into  %s
            Taken posts move to            %s   (rejected ones to %s, with a reason)
            Website and subscribe form     %s/
            RSS feed                       %s/feed.xml
            Podcast feed                   %s/podcast.xml
            Captured emails                http://localhost:%d/
            Subscription endpoints         http://localhost:%d/subscribe
            Operator console               %s/   (admin token: %s)
          Press Ctrl-C to stop. Data is kept in %s
          """,
          layout.inbox(), layout.processed(), layout.rejected(), feed, feed, feed,
          pipeline.mailCatcherPort(), services.publisher().httpPort(), pipeline.console().localUrl(),
          pipeline.adminToken(), layout.dataDir());
    }
  }
}
