package dev.pressline.ingest;

import static java.util.Objects.requireNonNull;

import dev.pressline.support.config.InvalidSettingException;
import dev.pressline.support.config.Settings;
import dev.pressline.support.health.Liveness;
import dev.pressline.support.http.HttpServerSettings;
import dev.pressline.support.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Everything ingest-service is configured with, parsed once from {@link Settings}. See SETTINGS.md for
 * each name, its default and what it is for.
 *
 * @param folders where posts arrive and where they go afterwards
 * @param port HTTP port of {@code /health}; 0 picks a free port
 * @param settleTime how long a file's size and modification time must stay unchanged before it is taken
 * @param pollInterval how often the inbox is looked at
 * @param maxPostBytes largest post file accepted
 * @param parseTimeout longest one post may take to be read and checked; a slower one is rejected
 * @param maxMediaBytes largest audio or image file accepted
 * @param mediaGrace how long a post waits for audio or an image it names that has not arrived yet
 * @param orphanMediaWait how long an audio or image file waits for a post that claims it
 * @param retryBackoffMax longest pause between attempts while Kafka cannot be reached
 * @param publicBaseUrl where feed-service is reached from outside, for the public URL in receipts
 * @param zone time zone of front-matter dates written without one
 * @param kafka the cluster and topic names
 * @param http where the health endpoint listens and its limits on clients (shared by all services)
 * @param stallLimit how long the inbox thread or the posts follower may be busy with one piece of work
 *     without progress before {@code /health/live} reports it stuck (shared by all services)
 */
public record IngestConfig(
    Folders folders,
    int port,
    Duration settleTime,
    Duration pollInterval,
    long maxPostBytes,
    Duration parseTimeout,
    long maxMediaBytes,
    Duration mediaGrace,
    Duration orphanMediaWait,
    Duration retryBackoffMax,
    String publicBaseUrl,
    ZoneId zone,
    KafkaSettings kafka,
    HttpServerSettings http,
    Duration stallLimit) {

  public static final String INBOX_DIR = "PRESSLINE_INBOX_DIR";
  public static final String PROCESSED_DIR = "PRESSLINE_PROCESSED_DIR";
  public static final String REJECTED_DIR = "PRESSLINE_REJECTED_DIR";
  public static final String MEDIA_DIR = "PRESSLINE_MEDIA_DIR";
  public static final String PORT = "PRESSLINE_INGEST_PORT";
  public static final String SETTLE_TIME = "PRESSLINE_INGEST_SETTLE_TIME";
  public static final String POLL_INTERVAL = "PRESSLINE_INGEST_POLL_INTERVAL";
  public static final String MAX_POST_BYTES = "PRESSLINE_MAX_POST_BYTES";
  public static final String PARSE_TIMEOUT = "PRESSLINE_INGEST_PARSE_TIMEOUT";
  public static final String MAX_MEDIA_BYTES = "PRESSLINE_MAX_MEDIA_BYTES";
  public static final String MEDIA_GRACE = "PRESSLINE_INGEST_MEDIA_GRACE";
  public static final String ORPHAN_MEDIA_WAIT = "PRESSLINE_INGEST_ORPHAN_MEDIA_WAIT";
  public static final String RETRY_BACKOFF_MAX = "PRESSLINE_INGEST_RETRY_BACKOFF_MAX";
  public static final String PUBLIC_BASE_URL = "PRESSLINE_PUBLIC_BASE_URL";
  public static final String TIME_ZONE = "PRESSLINE_TIME_ZONE";

  /**
   * The four folders ingest-service works with.
   *
   * @param inbox where editors drop posts and their audio
   * @param processed where taken files go, each with a receipt
   * @param rejected where refused files go, each with a reason file
   * @param media the content-addressed media store that feed-service serves
   */
  public record Folders(Path inbox, Path processed, Path rejected, Path media) {
    public Folders {
      requireNonNull(inbox, "inbox");
      requireNonNull(processed, "processed");
      requireNonNull(rejected, "rejected");
      requireNonNull(media, "media");
      Path in = inbox.toAbsolutePath().normalize();
      // receipts and reason files are .txt: in the inbox itself they would be taken as posts
      for (Path other : new Path[] {processed, rejected, media}) {
        if (other.toAbsolutePath().normalize().equals(in)) {
          throw new InvalidSettingException(INBOX_DIR, inbox.toString(),
              "a folder of its own, not also the processed, rejected or media folder");
        }
      }
    }

    /** Creates any folder that is missing. */
    public Folders create() {
      for (Path dir : new Path[] {inbox, processed, rejected, media}) {
        try {
          Files.createDirectories(dir);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create folder " + dir.toAbsolutePath(), e);
        }
      }
      return this;
    }

    /** Folders under one root, named as in the defaults: {@code inbox}, {@code processed}… */
    public static Folders under(Path root) {
      return new Folders(
          root.resolve("inbox"), root.resolve("processed"), root.resolve("rejected"), root.resolve("media"));
    }
  }

  public IngestConfig {
    requireNonNull(folders, "folders");
    requireNonNull(settleTime, "settleTime");
    requireNonNull(pollInterval, "pollInterval");
    requireNonNull(parseTimeout, "parseTimeout");
    requireNonNull(mediaGrace, "mediaGrace");
    requireNonNull(orphanMediaWait, "orphanMediaWait");
    requireNonNull(retryBackoffMax, "retryBackoffMax");
    requireNonNull(publicBaseUrl, "publicBaseUrl");
    requireNonNull(zone, "zone");
    requireNonNull(kafka, "kafka");
    requireNonNull(http, "http");
    requireNonNull(stallLimit, "stallLimit");
    publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
  }

  /**
   * A builder on which each setting is named; {@code http} and {@code stallLimit} start at their
   * defaults, every other setting must be given (tests that build a configuration by hand).
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these settings, for a copy that differs in a few. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.folders = folders;
    b.port = port;
    b.settleTime = settleTime;
    b.pollInterval = pollInterval;
    b.maxPostBytes = maxPostBytes;
    b.parseTimeout = parseTimeout;
    b.maxMediaBytes = maxMediaBytes;
    b.mediaGrace = mediaGrace;
    b.orphanMediaWait = orphanMediaWait;
    b.retryBackoffMax = retryBackoffMax;
    b.publicBaseUrl = publicBaseUrl;
    b.zone = zone;
    b.kafka = kafka;
    b.http = http;
    b.stallLimit = stallLimit;
    return b;
  }

  /** Builds an {@link IngestConfig} setting by setting. */
  public static final class Builder {
    private Folders folders;
    private int port;
    private Duration settleTime;
    private Duration pollInterval;
    private long maxPostBytes;
    private Duration parseTimeout;
    private long maxMediaBytes;
    private Duration mediaGrace;
    private Duration orphanMediaWait;
    private Duration retryBackoffMax;
    private String publicBaseUrl;
    private ZoneId zone;
    private KafkaSettings kafka;
    private HttpServerSettings http = HttpServerSettings.defaults();
    private Duration stallLimit = Duration.ofMinutes(5);

    private Builder() {}

    public Builder folders(Folders folders) {
      this.folders = folders;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder settleTime(Duration settleTime) {
      this.settleTime = settleTime;
      return this;
    }

    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    public Builder maxPostBytes(long maxPostBytes) {
      this.maxPostBytes = maxPostBytes;
      return this;
    }

    public Builder parseTimeout(Duration parseTimeout) {
      this.parseTimeout = parseTimeout;
      return this;
    }

    public Builder maxMediaBytes(long maxMediaBytes) {
      this.maxMediaBytes = maxMediaBytes;
      return this;
    }

    public Builder mediaGrace(Duration mediaGrace) {
      this.mediaGrace = mediaGrace;
      return this;
    }

    public Builder orphanMediaWait(Duration orphanMediaWait) {
      this.orphanMediaWait = orphanMediaWait;
      return this;
    }

    public Builder retryBackoffMax(Duration retryBackoffMax) {
      this.retryBackoffMax = retryBackoffMax;
      return this;
    }

    public Builder publicBaseUrl(String publicBaseUrl) {
      this.publicBaseUrl = publicBaseUrl;
      return this;
    }

    public Builder zone(ZoneId zone) {
      this.zone = zone;
      return this;
    }

    public Builder kafka(KafkaSettings kafka) {
      this.kafka = kafka;
      return this;
    }

    public Builder http(HttpServerSettings http) {
      this.http = http;
      return this;
    }

    public Builder stallLimit(Duration stallLimit) {
      this.stallLimit = stallLimit;
      return this;
    }

    public IngestConfig build() {
      return new IngestConfig(folders, port, settleTime, pollInterval, maxPostBytes, parseTimeout, maxMediaBytes,
          mediaGrace, orphanMediaWait, retryBackoffMax, publicBaseUrl, zone, kafka, http, stallLimit);
    }
  }

  public static IngestConfig from(Settings settings) {
    Path data = Path.of("data");
    Folders folders =
        new Folders(
            settings.path(INBOX_DIR, data.resolve("inbox")),
            settings.path(PROCESSED_DIR, data.resolve("processed")),
            settings.path(REJECTED_DIR, data.resolve("rejected")),
            settings.path(MEDIA_DIR, data.resolve("media")));
    Duration poll = positive(settings, POLL_INTERVAL, Duration.ofMillis(100));
    return builder()
        .folders(folders)
        .port(settings.integer(PORT, 8082, 0, 65535))
        .settleTime(nonNegative(settings, SETTLE_TIME, Duration.ofMillis(300)))
        .pollInterval(poll)
        // a megabyte is a short book: enough for any post, and it bounds the work one file can cause
        .maxPostBytes(settings.integer(MAX_POST_BYTES, 1024 * 1024, 1, Integer.MAX_VALUE))
        // a real post is read in milliseconds; pathological Markdown can take minutes
        .parseTimeout(positive(settings, PARSE_TIMEOUT, Duration.ofSeconds(10)))
        .maxMediaBytes(settings.integer(MAX_MEDIA_BYTES, 1024 * 1024 * 1024, 1, Integer.MAX_VALUE))
        .mediaGrace(nonNegative(settings, MEDIA_GRACE, Duration.ofMinutes(2)))
        .orphanMediaWait(nonNegative(settings, ORPHAN_MEDIA_WAIT, Duration.ofMinutes(30)))
        .retryBackoffMax(positive(settings, RETRY_BACKOFF_MAX, Duration.ofSeconds(30)))
        .publicBaseUrl(publicBaseUrl(settings))
        .zone(zone(settings))
        .kafka(KafkaSettings.from(settings))
        .http(HttpServerSettings.from(settings))
        .stallLimit(Liveness.stallLimit(settings))
        .build();
  }

  /** The same settings with another limit on the time one post may take to be read. */
  public IngestConfig withParseTimeout(Duration timeout) {
    return toBuilder().parseTimeout(timeout).build();
  }

  /** The same settings with another stall limit (tests that make a part stuck). */
  public IngestConfig withStallLimit(Duration limit) {
    return toBuilder().stallLimit(limit).build();
  }

  private static Duration nonNegative(Settings settings, String name, Duration defaultValue) {
    Duration value = settings.duration(name, defaultValue);
    if (value.isNegative()) {
      throw new InvalidSettingException(name, value.toString(), "zero or more");
    }
    return value;
  }

  private static Duration positive(Settings settings, String name, Duration defaultValue) {
    Duration value = nonNegative(settings, name, defaultValue);
    if (value.isZero()) {
      throw new InvalidSettingException(name, "0", "more than zero");
    }
    return value;
  }

  private static String publicBaseUrl(Settings settings) {
    String raw = settings.string(PUBLIC_BASE_URL, "http://localhost:8080");
    String expected = "an http:// or https:// address such as https://news.example.org";
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new InvalidSettingException(PUBLIC_BASE_URL, raw, expected);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new InvalidSettingException(PUBLIC_BASE_URL, raw, expected);
    }
    return raw;
  }

  private static ZoneId zone(Settings settings) {
    String raw = settings.string(TIME_ZONE, "UTC");
    try {
      return ZoneId.of(raw);
    } catch (RuntimeException e) {
      throw new InvalidSettingException(TIME_ZONE, raw, "a time zone such as UTC or Europe/Berlin");
    }
  }
}
