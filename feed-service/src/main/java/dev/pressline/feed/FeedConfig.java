package dev.pressline.feed;

import static java.util.Objects.requireNonNull;

import dev.pressline.feed.build.ChannelInfo;
import dev.pressline.feed.build.SiteUrls;
import dev.pressline.support.config.InvalidSettingException;
import dev.pressline.support.config.Settings;
import dev.pressline.support.http.HttpServerSettings;
import dev.pressline.support.kafka.KafkaSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import dev.pressline.support.health.Liveness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Everything feed-service needs to run, parsed and checked once at start.
 *
 * @param port HTTP port; 0 picks a free one (see {@link FeedService#httpPort()})
 * @param urls public addresses of this service and of the publisher's subscribe form
 * @param mediaDir the shared content-addressed media store, served read-only under /media/
 * @param channel what the feeds say about the show
 * @param pageSize items per feed document; older items go to RFC 5005 pages
 * @param websubHubs hubs named in the feeds and notified of every change
 * @param cacheMaxAge how long clients and CDNs may reuse a feed or page without asking
 * @param kafka where the posts topic is
 * @param http where the HTTP server listens and its limits on clients (shared by all services)
 * @param stallLimit how long one piece of work may go without progress before liveness fails
 * @param instanceId this instance's name among the feeds; its consumer group is
 *     {@code <topic prefix>feed-<instance id>}
 */
public record FeedConfig(
    int port,
    SiteUrls urls,
    Path mediaDir,
    ChannelInfo channel,
    int pageSize,
    List<URI> websubHubs,
    Duration cacheMaxAge,
    KafkaSettings kafka,
    HttpServerSettings http,
    Duration stallLimit,
    String instanceId) {

  public static final String PORT = "PRESSLINE_FEED_PORT";
  public static final String PUBLIC_BASE_URL = "PRESSLINE_PUBLIC_BASE_URL";
  public static final String PUBLISHER_BASE_URL = "PRESSLINE_PUBLISHER_BASE_URL";
  public static final String MEDIA_DIR = "PRESSLINE_MEDIA_DIR";
  public static final String PAGE_SIZE = "PRESSLINE_FEED_PAGE_SIZE";
  public static final String WEBSUB_HUBS = "PRESSLINE_FEED_WEBSUB_HUBS";
  public static final String CACHE_MAX_AGE = "PRESSLINE_FEED_CACHE_MAX_AGE";
  public static final String CHANNEL_TITLE = "PRESSLINE_CHANNEL_TITLE";
  public static final String CHANNEL_DESCRIPTION = "PRESSLINE_CHANNEL_DESCRIPTION";
  public static final String CHANNEL_AUTHOR = "PRESSLINE_CHANNEL_AUTHOR";
  public static final String CHANNEL_OWNER_EMAIL = "PRESSLINE_CHANNEL_OWNER_EMAIL";
  public static final String CHANNEL_LANGUAGE = "PRESSLINE_CHANNEL_LANGUAGE";
  public static final String CHANNEL_IMAGE_URL = "PRESSLINE_CHANNEL_IMAGE_URL";
  public static final String CHANNEL_CATEGORY = "PRESSLINE_CHANNEL_CATEGORY";
  public static final String CHANNEL_EXPLICIT = "PRESSLINE_CHANNEL_EXPLICIT";
  public static final String CHANNEL_LOCKED = "PRESSLINE_CHANNEL_LOCKED";
  public static final String CHANNEL_PODCAST_GUID = "PRESSLINE_CHANNEL_PODCAST_GUID";
  /** publisher-service's sender; the feed's owner email when none is set. */
  public static final String MAIL_FROM = "PRESSLINE_MAIL_FROM";
  public static final String INSTANCE_ID = "PRESSLINE_FEED_INSTANCE_ID";
  private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** publisher-service's default for {@link #MAIL_FROM}: both services must agree on it. */
  static final String DEFAULT_MAIL_FROM = "Pressline <newsletter@localhost>";

  private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
  private static final Pattern EMAIL = Pattern.compile("[^\\s@<>\"]+@[^\\s@<>\"]+");

  public FeedConfig {
    requireNonNull(urls, "urls");
    requireNonNull(mediaDir, "mediaDir");
    requireNonNull(channel, "channel");
    requireNonNull(cacheMaxAge, "cacheMaxAge");
    requireNonNull(kafka, "kafka");
    requireNonNull(http, "http");
    requireNonNull(instanceId, "instanceId");
    websubHubs = List.copyOf(websubHubs);
  }

  /** Reads the settings, applies the defaults and rejects values the service cannot use. */
  public static FeedConfig from(Settings settings) {
    String base = httpUrl(settings, PUBLIC_BASE_URL, "http://localhost:8080");
    String publisher = httpUrl(settings, PUBLISHER_BASE_URL, "http://localhost:8081");
    String language = settings.string(CHANNEL_LANGUAGE, "en");
    if (!LANGUAGE.matcher(language).matches()) {
      throw new InvalidSettingException(
          CHANNEL_LANGUAGE, language, "a language tag such as en or en-GB");
    }
    String owner = settings.string(CHANNEL_OWNER_EMAIL, "");
    if (!owner.isEmpty() && !EMAIL.matcher(owner).matches()) {
      throw new InvalidSettingException(CHANNEL_OWNER_EMAIL, owner, "an email address");
    }
    if (owner.isEmpty()) {
      // validators and Apple want itunes:owner's email: the address the newsletter comes from
      owner = senderAddress(settings.string(MAIL_FROM, DEFAULT_MAIL_FROM));
    }
    String image = settings.string(CHANNEL_IMAGE_URL, "");
    if (!image.isEmpty()) {
      httpUrl(settings, CHANNEL_IMAGE_URL, "");
    }
    String guid = settings.optional(CHANNEL_PODCAST_GUID);
    if (guid != null) {
      try {
        guid = UUID.fromString(guid).toString().toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(CHANNEL_PODCAST_GUID, guid, "a UUID");
      }
    }
    ChannelInfo channel =
        new ChannelInfo(
            settings.string(CHANNEL_TITLE, "Pressline"),
            settings.string(CHANNEL_DESCRIPTION, "Posts and episodes published with Pressline."),
            settings.string(CHANNEL_AUTHOR, "Pressline"),
            owner,
            language,
            image,
            settings.string(CHANNEL_CATEGORY, "Society & Culture"),
            settings.bool(CHANNEL_EXPLICIT, false),
            settings.bool(CHANNEL_LOCKED, false),
            guid);
    List<URI> hubs = new ArrayList<>();
    for (String hub : settings.list(WEBSUB_HUBS, List.of())) {
      hubs.add(URI.create(checkHttp(WEBSUB_HUBS, hub)));
    }
    Duration maxAge = settings.duration(CACHE_MAX_AGE, Duration.ofSeconds(60));
    if (maxAge.isNegative()) {
      throw new InvalidSettingException(CACHE_MAX_AGE, maxAge.toString(), "zero or more");
    }
    return new FeedConfig(
        settings.integer(PORT, 8080, 0, 65_535),
        new SiteUrls(base, publisher),
        settings.path(MEDIA_DIR, Path.of("data/media")),
        channel,
        settings.integer(PAGE_SIZE, 100, 1, 100_000),
        hubs,
        maxAge,
        KafkaSettings.from(settings),
        HttpServerSettings.from(settings),
        Liveness.stallLimit(settings),
        instanceId(settings));
  }

  /** The setting, else this machine's name (one feed per host or container needs no setting). */
  private static String instanceId(Settings settings) {
    String id = settings.optional(INSTANCE_ID);
    if (id != null) {
      if (!INSTANCE.matcher(id).matches()) {
        throw new InvalidSettingException(INSTANCE_ID, id, "1 to 64 letters, digits, '.', '_' or '-'");
      }
      return id;
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "feed";
    }
    String safe = host.replaceAll("[^A-Za-z0-9._-]", "-");
    return safe.isEmpty() ? "feed" : safe.substring(0, Math.min(64, safe.length()));
  }

  /** The consumer group this instance commits its progress under (it never joins it). */
  public String progressGroup() {
    return kafka.topics().feedGroupPrefix() + instanceId;
  }

  /** The address in a sender such as {@code Our Letter <letter@example.org>}, or a bare address. */
  static String senderAddress(String from) {
    int open = from.lastIndexOf('<');
    int close = from.lastIndexOf('>');
    String address = open >= 0 && close > open ? from.substring(open + 1, close).trim() : from.trim();
    if (!EMAIL.matcher(address).matches()) {
      throw new InvalidSettingException(
          MAIL_FROM, from, "an email address, optionally with a name: Name <address>");
    }
    return address;
  }

  private static String httpUrl(Settings settings, String name, String defaultValue) {
    return checkHttp(name, settings.string(name, defaultValue));
  }

  private static String checkHttp(String name, String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getQuery() == null
          && uri.getFragment() == null) {
        return value;
      }
    } catch (URISyntaxException e) {
      // reported below with the setting's name
    }
    throw new InvalidSettingException(
        name, value, "an absolute http:// or https:// URL without query");
  }
}
