package dev.pressline.ingest;

import dev.pressline.ingest.check.CheckCommand;
import dev.pressline.ingest.claim.ClaimSettings;
import dev.pressline.support.config.Settings;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * ingest-service's entry point and composition root. Without arguments it runs the service with the
 * settings from the environment (see SETTINGS.md) until stopped; {@code check FILE…} tells an editor
 * what a post would become without publishing it.
 */
@Command(
    name = "ingest-service",
    mixinStandardHelpOptions = true,
    subcommands = {CheckCommand.class},
    description = "Watches the inbox and publishes each post to the posts topic. Settings come from PRESSLINE_* environment variables.")
public final class IngestMain implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(new CommandLine(new IngestMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    Settings settings = Settings.fromEnvironment();
    IngestConfig config = IngestConfig.from(settings);
    ClaimSettings claims = ClaimSettings.from(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    IngestService service = IngestService.start(config, claims);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stopped.countDown();
    }, "ingest-shutdown"));
    // a refusal to start (topics unsafe to use, an instance id another live instance has) ends the process
    service.refusal().thenRun(stopped::countDown);
    stopped.await();
    return service.refusal().isDone() ? 1 : 0;
  }
}
