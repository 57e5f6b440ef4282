package dev.pressline.launcher;

import dev.pressline.launcher.mailcatcher.MailCatcher;
import dev.pressline.launcher.mailcatcher.MailCatcherWeb;
import dev.pressline.launcher.pipeline.PipelineLayout;
import dev.pressline.launcher.pipeline.RunningServices;
import dev.pressline.support.config.Settings;
import dev.pressline.support.http.HttpServerSettings;
import dev.pressline.support.kafka.EmbeddedKafkaBroker;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine: an in-process Kafka broker, a mail catcher and the three
 * services, wired as in production but without anything to install.
 */
public final class EmbeddedPipeline implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPipeline.class);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final PipelineLayout layout;
  private MailCatcherWeb mailWeb;
  private RunningServices services;

  private EmbeddedPipeline(PipelineLayout layout) {
    this.layout = layout;
  }

  public static EmbeddedPipeline start(LauncherConfig config, Settings userSettings) {
    PipelineLayout layout =
        new PipelineLayout(config.dataDir(), config.feedPort(), config.publisherPort(), config.ingestPort());
    EmbeddedPipeline pipeline = new EmbeddedPipeline(layout);
    try {
      pipeline.startAll(config, userSettings);
      return pipeline;
    } catch (RuntimeException | Error e) {
      // a half-started pipeline must not leave a broker writing into a folder that is going away
      pipeline.close();
      throw e;
    }
  }

  private void startAll(LauncherConfig config, Settings userSettings) {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(layout.kafkaDir(), config.kafkaPort());
    started.push(broker);
    MailCatcher catcher = MailCatcher.start(config.smtpPort());
    started.push(catcher);
    Settings withDefaults = userSettings.withDefaults(layout.serviceDefaults());
    mailWeb = MailCatcherWeb.start(catcher, HttpServerSettings.from(withDefaults), config.mailCatcherPort());
    started.push(mailWeb);
    Settings settings =
        withDefaults
            .with(PipelineLayout.embeddedInfrastructure(broker.bootstrapServers(), catcher.smtpPort()));
    services = RunningServices.start(settings);
    started.push(services);
    for (String email : config.demoSubscribers()) {
      services.publisher().addConfirmedSubscriber(email, "demo");
      log.info("Demo subscriber {} is confirmed", email);
    }
  }

  public PipelineLayout layout() {
    return layout;
  }

  public RunningServices services() {
    return services;
  }

  public int mailCatcherPort() {
    return mailWeb.port();
  }

  /** Stops in reverse order of start: services, mail catcher, broker. */
  @Override
  public void close() {
    while (!started.isEmpty()) {
      AutoCloseable next = started.pop();
      try {
        next.close();
      } catch (Exception e) {
        log.warn("While stopping {}: {}", next.getClass().getSimpleName(), e.getMessage(), e);
      }
    }
  }
}
