package dev.pressline.launcher.pipeline;

import dev.pressline.support.http.HttpServerSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the embedded pipeline keeps everything, and the settings that point the three services at it.
 * One data folder holds the Kafka log, the editors' folders and the media store, so running the
 * launcher again finds the posts, subscribers and feed of last time.
 *
 * @param dataDir the root of all embedded data
 * @param feedPort HTTP port of feed-service (0 picks a free one)
 * @param publisherPort HTTP port of publisher-service
 * @param ingestPort HTTP port of ingest-service's health endpoint
 */
public record PipelineLayout(Path dataDir, int feedPort, int publisherPort, int ingestPort) {

  public Path kafkaDir() {
    return dataDir.resolve("kafka");
  }

  public Path inbox() {
    return dataDir.resolve("inbox");
  }

  public Path processed() {
    return dataDir.resolve("processed");
  }

  public Path rejected() {
    return dataDir.resolve("rejected");
  }

  public Path media() {
    return dataDir.resolve("media");
  }

  public Path state() {
    return dataDir.resolve("state");
  }

  /**
   * Default settings for the services of an embedded pipeline. What the user set in the environment
   * or properties file still wins, except the broker and the SMTP server, which are the embedded ones.
   */
  public Map<String, String> serviceDefaults() {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("PRESSLINE_INBOX_DIR", inbox().toString());
    defaults.put("PRESSLINE_PROCESSED_DIR", processed().toString());
    defaults.put("PRESSLINE_REJECTED_DIR", rejected().toString());
    defaults.put("PRESSLINE_MEDIA_DIR", media().toString());
    defaults.put("PRESSLINE_STATE_DIR", state().toString());
    defaults.put("PRESSLINE_FEED_PORT", Integer.toString(feedPort));
    defaults.put("PRESSLINE_PUBLISHER_PORT", Integer.toString(publisherPort));
    defaults.put("PRESSLINE_INGEST_PORT", Integer.toString(ingestPort));
    // a pipeline on one's own machine is for that machine: subscriber counts, the mail catcher and
    // the admin actions stay off the network unless PRESSLINE_HTTP_BIND says otherwise
    defaults.put(HttpServerSettings.BIND, "127.0.0.1");
    // one publisher under a fixed name: after a crash the next start fences the old fan-out at once
    // and takes the mailer's partitions back as the same static group member
    defaults.put("PRESSLINE_PUBLISHER_INSTANCE_ID", "embedded");
    if (feedPort != 0) {
      defaults.put("PRESSLINE_PUBLIC_BASE_URL", "http://localhost:" + feedPort);
    }
    if (publisherPort != 0) {
      defaults.put("PRESSLINE_PUBLISHER_BASE_URL", "http://localhost:" + publisherPort);
    }
    return defaults;
  }

  /** Settings that must point at the embedded broker and mail catcher whatever the user set. */
  public static Map<String, String> embeddedInfrastructure(String bootstrapServers, int smtpPort) {
    Map<String, String> forced = new HashMap<>();
    forced.put("PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
    forced.put("PRESSLINE_SMTP_HOST", "localhost");
    forced.put("PRESSLINE_SMTP_PORT", Integer.toString(smtpPort));
    forced.put("PRESSLINE_SMTP_SECURITY", "none");
    return forced;
  }
}
