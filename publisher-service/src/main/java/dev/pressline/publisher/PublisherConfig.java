package dev.pressline.publisher;

import static java.util.Objects.requireNonNull;

import dev.pressline.publisher.render.ListId;
import dev.pressline.publisher.render.MailIdentity;
import dev.pressline.publisher.smtp.DkimConfig;
import dev.pressline.publisher.smtp.SmtpConfig;
import dev.pressline.publisher.smtp.SmtpMailSender;
import dev.pressline.publisher.smtp.SmtpSecurity;
import dev.pressline.support.config.InvalidSettingException;
import dev.pressline.support.config.Settings;
import dev.pressline.support.health.Liveness;
import dev.pressline.support.http.HttpServerSettings;
import dev.pressline.support.kafka.KafkaSettings;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything publisher-service is configured with, parsed and checked once at start.
 *
 * @param kafka cluster and topic names
 * @param port HTTP port for subscribe, confirm, unsubscribe, admin and health; 0 picks a free one
 * @param baseUrl public URL of this service, used in confirmation and unsubscribe links
 * @param publicBaseUrl public URL of feed-service, for "view in browser" and "listen" links
 * @param smtp the SMTP server and how the mailers use it
 * @param identity sender, reply-to and unsubscribe mailbox
 * @param dkim DKIM signing, or null when no key is configured
 * @param signingSecret secret for the HMAC of tokens, or null to use (and create) one in the state folder
 * @param adminToken bearer token for the admin endpoints, or null to switch them off
 * @param stateDir folder for small local state (the generated signing secret)
 * @param groupPrefix prefix of the consumer groups and transactional ids of this publisher
 * @param confirmTokenTtl how long a confirmation link works
 * @param unsubscribeTokenTtl how long an unsubscribe link works
 * @param subscribeLimitPerMinute subscribe requests one client address may make per minute
 * @param instanceId stable name of this instance (its fan-out transactional id), or null for a random one
 * @param http where the HTTP server listens and its limits on clients (shared by all services)
 * @param stallLimit how long the fan-out, the mailer, the delivery-log view or a topic follower may be
 *     busy with one piece of work without progress before {@code /health/live} reports it stuck (shared)
 */
public record PublisherConfig(
    KafkaSettings kafka,
    int port,
    URI baseUrl,
    URI publicBaseUrl,
    SmtpConfig smtp,
    MailIdentity identity,
    DkimConfig dkim,
    String signingSecret,
    String adminToken,
    Path stateDir,
    String groupPrefix,
    Duration confirmTokenTtl,
    Duration unsubscribeTokenTtl,
    int subscribeLimitPerMinute,
    String instanceId,
    HttpServerSettings http,
    Duration stallLimit) {

  public static final String PORT = "PRESSLINE_PUBLISHER_PORT";
  public static final String BASE_URL = "PRESSLINE_PUBLISHER_BASE_URL";
  public static final String PUBLIC_BASE_URL = "PRESSLINE_PUBLIC_BASE_URL";
  public static final String SMTP_HOST = "PRESSLINE_SMTP_HOST";
  public static final String SMTP_PORT = "PRESSLINE_SMTP_PORT";
  public static final String SMTP_USERNAME = "PRESSLINE_SMTP_USERNAME";
  public static final String SMTP_PASSWORD = "PRESSLINE_SMTP_PASSWORD";
  public static final String SMTP_SECURITY = "PRESSLINE_SMTP_SECURITY";
  public static final String SMTP_CONCURRENCY = "PRESSLINE_SMTP_CONCURRENCY";
  public static final String SMTP_WORKERS_PER_CONNECTION = "PRESSLINE_SMTP_WORKERS_PER_CONNECTION";
  public static final String MAIL_IN_DOUBT_WINDOW = "PRESSLINE_MAIL_IN_DOUBT_WINDOW";
  public static final String SMTP_RATE_LIMIT = "PRESSLINE_SMTP_RATE_LIMIT";
  public static final String SMTP_MAX_ATTEMPTS = "PRESSLINE_SMTP_MAX_ATTEMPTS";
  public static final String SMTP_RETRY_BACKOFF = "PRESSLINE_SMTP_RETRY_BACKOFF";
  public static final String SMTP_MAX_RETRY_BACKOFF = "PRESSLINE_SMTP_MAX_RETRY_BACKOFF";
  public static final String SMTP_TIMEOUT = "PRESSLINE_SMTP_TIMEOUT";
  public static final String SMTP_IDLE_CHECK = "PRESSLINE_SMTP_IDLE_CHECK";
  public static final String MAIL_FROM = "PRESSLINE_MAIL_FROM";
  public static final String MAIL_REPLY_TO = "PRESSLINE_MAIL_REPLY_TO";
  public static final String MAIL_UNSUBSCRIBE_MAILBOX = "PRESSLINE_MAIL_UNSUBSCRIBE_MAILBOX";
  public static final String MAIL_LIST_ID = "PRESSLINE_MAIL_LIST_ID";
  /** Shared with feed-service: the newsletter's List-Id carries the channel's name. */
  public static final String CHANNEL_TITLE = "PRESSLINE_CHANNEL_TITLE";
  public static final String DKIM_KEY_FILE = "PRESSLINE_DKIM_KEY_FILE";
  public static final String DKIM_DOMAIN = "PRESSLINE_DKIM_DOMAIN";
  public static final String DKIM_SELECTOR = "PRESSLINE_DKIM_SELECTOR";
  public static final String SIGNING_SECRET = "PRESSLINE_SIGNING_SECRET";
  public static final String ADMIN_TOKEN = "PRESSLINE_ADMIN_TOKEN";
  public static final String STATE_DIR = "PRESSLINE_STATE_DIR";
  public static final String GROUP = "PRESSLINE_PUBLISHER_GROUP";
  public static final String CONFIRM_TTL = "PRESSLINE_PUBLISHER_CONFIRM_TOKEN_TTL";
  public static final String UNSUBSCRIBE_TTL = "PRESSLINE_PUBLISHER_UNSUBSCRIBE_TOKEN_TTL";
  public static final String SUBSCRIBE_LIMIT = "PRESSLINE_PUBLISHER_SUBSCRIBE_LIMIT_PER_MINUTE";
  public static final String INSTANCE_ID = "PRESSLINE_PUBLISHER_INSTANCE_ID";

  public PublisherConfig {
    requireNonNull(kafka, "kafka");
    requireNonNull(baseUrl, "baseUrl");
    requireNonNull(publicBaseUrl, "publicBaseUrl");
    requireNonNull(smtp, "smtp");
    requireNonNull(identity, "identity");
    requireNonNull(stateDir, "stateDir");
    requireNonNull(groupPrefix, "groupPrefix");
    requireNonNull(confirmTokenTtl, "confirmTokenTtl");
    requireNonNull(unsubscribeTokenTtl, "unsubscribeTokenTtl");
    requireNonNull(stallLimit, "stallLimit");
  }

  /** Reads, defaults and checks every publisher setting; a bad value names its setting. */
  public static PublisherConfig from(Settings settings) {
    KafkaSettings kafka = KafkaSettings.from(settings);
    String securityText = settings.string(SMTP_SECURITY, "none");
    SmtpSecurity security = SmtpSecurity.parse(securityText);
    if (security == null) {
      throw new InvalidSettingException(SMTP_SECURITY, securityText, "none, starttls or tls");
    }
    String username = settings.optional(SMTP_USERNAME);
    String password = settings.optional(SMTP_PASSWORD);
    if (password != null && username == null) {
      throw new InvalidSettingException(SMTP_USERNAME, "must be set when " + SMTP_PASSWORD + " is");
    }
    SmtpConfig smtp =
        new SmtpConfig(
            settings.string(SMTP_HOST, "localhost"),
            settings.integer(SMTP_PORT, 2525, 1, 65_535),
            username,
            password,
            security,
            settings.integer(SMTP_CONCURRENCY, 4, 1, 256),
            settings.integer(SMTP_WORKERS_PER_CONNECTION, 2, 1, 16),
            settings.integer(MAIL_IN_DOUBT_WINDOW, SmtpConfig.DEFAULT_IN_DOUBT_WINDOW, 1, 1024),
            settings.integer(SMTP_RATE_LIMIT, 0, 0, 1_000_000),
            settings.integer(SMTP_MAX_ATTEMPTS, 10, 1, 1000),
            positive(settings, SMTP_RETRY_BACKOFF, Duration.ofSeconds(1)),
            positive(settings, SMTP_MAX_RETRY_BACKOFF, Duration.ofMinutes(1)),
            positive(settings, SMTP_TIMEOUT, Duration.ofSeconds(30)),
            positive(settings, SMTP_IDLE_CHECK, SmtpMailSender.DEFAULT_IDLE_CHECK));
    checkServers(smtp);
    InternetAddress from = address(settings, MAIL_FROM, "Pressline <newsletter@localhost>");
    InternetAddress replyTo = address(settings, MAIL_REPLY_TO, null);
    String fromAddress = from.getAddress();
    String unsubscribeMailbox =
        address(
                settings,
                MAIL_UNSUBSCRIBE_MAILBOX,
                "unsubscribe@" + fromAddress.substring(fromAddress.indexOf('@') + 1))
            .getAddress();
    String groupPrefix = settings.string(GROUP, kafka.topics().prefix() + "publisher");
    if (!groupPrefix.matches("[A-Za-z0-9._-]+")) {
      throw new InvalidSettingException(GROUP, groupPrefix, "letters, digits, '.', '_' or '-'");
    }
    String secret = settings.optional(SIGNING_SECRET);
    if (secret != null && secret.length() < 16) {
      throw new InvalidSettingException(SIGNING_SECRET, "must be at least 16 characters long");
    }
    return new PublisherConfig(
        kafka,
        settings.integer(PORT, 8081, 0, 65_535),
        url(settings, BASE_URL, "http://localhost:8081"),
        url(settings, PUBLIC_BASE_URL, "http://localhost:8080"),
        smtp,
        new MailIdentity(from, replyTo, unsubscribeMailbox, listId(settings, from)),
        dkim(settings),
        secret,
        settings.optional(ADMIN_TOKEN),
        settings.path(STATE_DIR, Path.of("data", "state")),
        groupPrefix,
        positive(settings, CONFIRM_TTL, Duration.ofDays(7)),
        positive(settings, UNSUBSCRIBE_TTL, Duration.ofDays(365)),
        settings.integer(SUBSCRIBE_LIMIT, 10, 1, 100_000),
        instanceId(settings),
        HttpServerSettings.from(settings),
        Liveness.stallLimit(settings));
  }

  private static ListId listId(Settings settings, InternetAddress from) {
    String raw = settings.optional(MAIL_LIST_ID);
    if (raw == null) {
      String title = settings.optional(CHANNEL_TITLE);
      return ListId.derived(from, title != null ? title : from.getPersonal());
    }
    return ListId.parse(raw).orElseThrow(() -> new InvalidSettingException(MAIL_LIST_ID, raw,
        "a list id such as \"Our Letter\" <letter.example.org>"));
  }

  private static String instanceId(Settings settings) {
    String id = settings.optional(INSTANCE_ID);
    if (id != null && !id.matches("[A-Za-z0-9._-]+")) {
      throw new InvalidSettingException(INSTANCE_ID, id, "letters, digits, '.', '_' or '-'");
    }
    return id;
  }

  /** The same configuration pointed at another cluster (the launcher and tests use this). */
  public PublisherConfig withKafka(KafkaSettings other) {
    return new PublisherConfig(
        other, port, baseUrl, publicBaseUrl, smtp, identity, dkim, signingSecret, adminToken, stateDir,
        groupPrefix.startsWith(kafka.topics().prefix())
            ? other.topics().prefix() + groupPrefix.substring(kafka.topics().prefix().length())
            : groupPrefix,
        confirmTokenTtl, unsubscribeTokenTtl, subscribeLimitPerMinute, instanceId, http, stallLimit);
  }

  private static void checkServers(SmtpConfig smtp) {
    for (String entry : smtp.host().split(",")) {
      String name = entry.strip();
      if (!name.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?")) {
        throw new InvalidSettingException(SMTP_HOST, smtp.host(), "host names, each optionally with :port, "
            + "separated by commas");
      }
      int colon = name.lastIndexOf(':');
      if (colon > 0) {
        int port = Integer.parseInt(name.substring(colon + 1));
        if (port < 1 || port > 65_535) {
          throw new InvalidSettingException(SMTP_HOST, smtp.host(), "ports from 1 to 65535");
        }
      }
    }
  }

  private static DkimConfig dkim(Settings settings) {
    Path key = settings.path(DKIM_KEY_FILE, null);
    if (key == null) {
      return null;
    }
    String domain = settings.optional(DKIM_DOMAIN);
    if (domain == null) {
      throw new InvalidSettingException(DKIM_DOMAIN, "must be set when " + DKIM_KEY_FILE + " is");
    }
    return new DkimConfig(key, domain, settings.string(DKIM_SELECTOR, "pressline"));
  }

  private static Duration positive(Settings settings, String name, Duration defaultValue) {
    Duration value = settings.duration(name, defaultValue);
    if (value.isNegative() || value.isZero()) {
      throw new InvalidSettingException(name, value.toString(), "a positive duration");
    }
    return value;
  }

  private static InternetAddress address(Settings settings, String name, String defaultValue) {
    String raw = settings.string(name, defaultValue);
    if (raw == null) {
      return null;
    }
    try {
      InternetAddress address = new InternetAddress(raw, true);
      if (!address.getAddress().contains("@")) {
        throw new InvalidSettingException(name, raw, "an email address such as Name <name@example.org>");
      }
      return address;
    } catch (AddressException e) {
      throw new InvalidSettingException(name, raw, "an email address such as Name <name@example.org>");
    }
  }

  private static URI url(Settings settings, String name, String defaultValue) {
    String raw = settings.string(name, defaultValue);
    try {
      URI uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new InvalidSettingException(name, raw, "an http:// or https:// URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new InvalidSettingException(name, raw, "an http:// or https:// URL");
    }
  }

  @Override
  public String toString() {
    // secrets stay out of logs
    return "PublisherConfig[kafka=" + kafka + ", port=" + port + ", http=" + http + ", baseUrl=" + baseUrl
        + ", publicBaseUrl=" + publicBaseUrl + ", smtp=" + smtp + ", from=" + identity.from()
        + ", dkim=" + (dkim != null) + ", adminEnabled=" + (adminToken != null) + ", stateDir=" + stateDir
        + ", groupPrefix=" + groupPrefix + "]";
  }
}
