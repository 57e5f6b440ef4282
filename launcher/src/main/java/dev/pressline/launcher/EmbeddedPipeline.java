package dev.pressline.launcher;

import dev.pressline.console.ConsoleConfig;
import dev.pressline.console.ConsoleService;
import dev.pressline.launcher.mailcatcher.MailCatcher;
import dev.pressline.launcher.mailcatcher.MailCatcherWeb;
import dev.pressline.launcher.pipeline.PipelineLayout;
import dev.pressline.launcher.pipeline.RunningServices;
import dev.pressline.support.config.Settings;
import dev.pressline.support.http.HttpServerSettings;
import dev.pressline.support.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
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
  private ConsoleService console;
  private String adminToken;

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
    // the console needs an admin token to sign in with; one made here is kept for the next run
    adminToken = userSettings.optional("PRESSLINE_ADMIN_TOKEN");
    if (adminToken == null) {
      adminToken = keptAdminToken(layout.state().resolve("console-admin-token"));
    }
    Settings withDefaults = userSettings.withDefaults(layout.serviceDefaults())
        .with(Map.of("PRESSLINE_ADMIN_TOKEN", adminToken));
    mailWeb = MailCatcherWeb.start(catcher, HttpServerSettings.from(withDefaults), config.mailCatcherPort());
    started.push(mailWeb);
    Settings settings =
        withDefaults
            .with(PipelineLayout.embeddedInfrastructure(broker.bootstrapServers(), catcher.smtpPort()));
    services = RunningServices.start(settings);
    started.push(services);
    console = ConsoleService.start(ConsoleConfig.from(settings.with(Map.of(
        ConsoleConfig.PORT, Integer.toString(config.consolePort()),
        ConsoleConfig.SERVICES, "ingest=http://localhost:" + services.ingest().healthPort()
            + ",publisher=http://localhost:" + services.publisher().httpPort()
            + ",feed=http://localhost:" + services.feed().httpPort()))));
    started.push(console);
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

  /** The operator console, reading the same topics as one more reader. */
  public ConsoleService console() {
    return console;
  }

  /** The token the console takes at sign-in (and the publisher's admin actions). */
  public String adminToken() {
    return adminToken;
  }

  /** The token kept in {@code file}, made (readable by this user only) on the first run. */
  private static String keptAdminToken(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (kept.length() >= 16) {
          return kept;
        }
      }
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Files.createDirectories(file.getParent());
      Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the folder's own protection applies
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the console's admin token in " + file, e);
    }
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
