package dev.pressline.launcher;

import dev.pressline.support.config.Settings;
import java.nio.file.Path;
import java.util.List;

/**
 * What the one-command launcher sets up around the services.
 *
 * @param dataDir everything the embedded pipeline keeps between runs
 * @param kafkaPort port of the embedded broker
 * @param smtpPort port of the mail catcher's SMTP server
 * @param mailCatcherPort port of the page that shows captured mail
 * @param feedPort feed-service's port, also used for its public base URL
 * @param publisherPort publisher-service's port
 * @param ingestPort ingest-service's health port
 * @param consolePort the operator console's port
 * @param demoSubscribers addresses confirmed at start so the first post reaches somebody
 */
public record LauncherConfig(
    Path dataDir,
    int kafkaPort,
    int smtpPort,
    int mailCatcherPort,
    int feedPort,
    int publisherPort,
    int ingestPort,
    int consolePort,
    List<String> demoSubscribers) {

  public static LauncherConfig from(Settings settings) {
    return new LauncherConfig(
        settings.path("PRESSLINE_DATA_DIR", Path.of("pressline-data")).toAbsolutePath(),
        settings.integer("PRESSLINE_KAFKA_PORT", 9092, 0, 65535),
        settings.integer("PRESSLINE_SMTP_PORT", 2525, 0, 65535),
        settings.integer("PRESSLINE_MAILCATCHER_PORT", 8025, 0, 65535),
        settings.integer("PRESSLINE_FEED_PORT", 8080, 0, 65535),
        settings.integer("PRESSLINE_PUBLISHER_PORT", 8081, 0, 65535),
        settings.integer("PRESSLINE_INGEST_PORT", 8082, 0, 65535),
        settings.integer("PRESSLINE_CONSOLE_PORT", 8083, 0, 65535),
        settings.list("PRESSLINE_DEMO_SUBSCRIBERS", List.of("reader@example.com")));
  }
}
