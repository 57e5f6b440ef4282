package dev.pressline.console;

import static java.util.Objects.requireNonNull;

import dev.pressline.publisher.PublisherConfig;
import dev.pressline.support.config.InvalidSettingException;
import dev.pressline.support.config.Settings;
import dev.pressline.support.http.HttpServerSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the console needs, parsed and checked once at start.
 *
 * @param port HTTP port; 0 picks a free one
 * @param http where it listens (loopback unless PRESSLINE_CONSOLE_BIND or PRESSLINE_HTTP_BIND say
 *     otherwise) and its limits on clients
 * @param adminToken the token an operator signs in with (the publisher's admin token); null: nobody can
 * @param sessionTtl how long a signed-in session lasts
 * @param signInAttempts sign-in attempts one client may make per minute
 * @param secureCookie whether the session cookie is sent over HTTPS only (behind a TLS proxy)
 * @param services each service's base URL by name, for its readiness and liveness
 * @param publisher the publisher's settings: its topics, consumer groups, mail identity and URLs
 */
public record ConsoleConfig(
    int port,
    HttpServerSettings http,
    String adminToken,
    Duration sessionTtl,
    int signInAttempts,
    boolean secureCookie,
    Map<String, URI> services,
    PublisherConfig publisher) {

  public static final String PORT = "PRESSLINE_CONSOLE_PORT";
  public static final String BIND = "PRESSLINE_CONSOLE_BIND";
  public static final String SESSION_TTL = "PRESSLINE_CONSOLE_SESSION_TTL";
  public static final String SIGN_IN_ATTEMPTS = "PRESSLINE_CONSOLE_SIGN_IN_ATTEMPTS";
  public static final String SECURE_COOKIE = "PRESSLINE_CONSOLE_SECURE_COOKIE";
  public static final String SERVICES = "PRESSLINE_CONSOLE_SERVICES";
  /** The default service addresses: each service's default port on this machine. */
  static final String DEFAULT_SERVICES =
      "ingest=http://localhost:8082,publisher=http://localhost:8081,feed=http://localhost:8080";

  public ConsoleConfig {
    requireNonNull(http, "http");
    requireNonNull(sessionTtl, "sessionTtl");
    requireNonNull(publisher, "publisher");
    services = Map.copyOf(services);
  }

  public static ConsoleConfig from(Settings settings) {
    PublisherConfig publisher = PublisherConfig.from(settings);
    HttpServerSettings http = HttpServerSettings.from(settings);
    String bind = settings.optional(BIND);
    if (bind == null) {
      // the console changes the subscriber list: it stays on this machine unless someone decides otherwise
      bind = settings.optional(HttpServerSettings.BIND) == null ? "127.0.0.1" : http.bindHost();
    } else if (bind.equals("*")) {
      bind = null;
    }
    Duration ttl = settings.duration(SESSION_TTL, Duration.ofHours(8));
    if (ttl.isNegative() || ttl.isZero()) {
      throw new InvalidSettingException(SESSION_TTL, ttl.toString(), "more than zero");
    }
    return new ConsoleConfig(
        settings.integer(PORT, 8083, 0, 65_535),
        http.withBindHost(bind),
        publisher.adminToken(),
        ttl,
        settings.integer(SIGN_IN_ATTEMPTS, 5, 1, 10_000),
        settings.bool(SECURE_COOKIE, false),
        services(settings),
        publisher);
  }

  private static Map<String, URI> services(Settings settings) {
    Map<String, URI> services = new LinkedHashMap<>();
    for (String entry : settings.list(SERVICES, List.of(DEFAULT_SERVICES.split(",")))) {
      int eq = entry.indexOf('=');
      URI uri = null;
      if (eq > 0) {
        try {
          uri = URI.create(entry.substring(eq + 1).trim().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
          uri = null;
        }
      }
      if (uri == null || uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new InvalidSettingException(SERVICES, entry, "name=http://host:port entries, comma-separated");
      }
      services.put(entry.substring(0, eq).trim(), uri);
    }
    return services;
  }
}
