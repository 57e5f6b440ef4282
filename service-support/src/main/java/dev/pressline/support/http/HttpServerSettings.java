package dev.pressline.support.http;

import static java.util.Objects.requireNonNull;

import dev.pressline.support.config.InvalidSettingException;
import dev.pressline.support.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How every service's HTTP server listens and what it puts up with from a client, parsed once from
 * {@link Settings}. The same names apply to all services (see the root README).
 *
 * @param bindHost the interface to listen on; null listens on all of them
 * @param idleTimeout a connection on which nothing arrives for this long is closed
 * @param bodyTimeout a request body must have arrived completely within this time of its headers
 * @param maxConnectionsPerClient open connections one client (see {@link ClientAddresses}) may hold;
 *     more are closed as soon as they open
 * @param clients how a request's client is told apart, and which proxies may name it
 */
public record HttpServerSettings(
    String bindHost,
    Duration idleTimeout,
    Duration bodyTimeout,
    int maxConnectionsPerClient,
    ClientAddresses clients) {

  public static final String BIND = "PRESSLINE_HTTP_BIND";
  public static final String IDLE_TIMEOUT = "PRESSLINE_HTTP_IDLE_TIMEOUT";
  public static final String BODY_TIMEOUT = "PRESSLINE_HTTP_BODY_TIMEOUT";
  public static final String MAX_CONNECTIONS_PER_CLIENT = "PRESSLINE_HTTP_MAX_CONNECTIONS_PER_CLIENT";
  public static final String TRUSTED_PROXIES = "PRESSLINE_HTTP_TRUSTED_PROXIES";

  public HttpServerSettings {
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(bodyTimeout, "bodyTimeout");
    requireNonNull(clients, "clients");
  }

  public static HttpServerSettings from(Settings settings) {
    String bind = settings.optional(BIND);
    return new HttpServerSettings(
        bind == null || bind.equals("*") ? null : bind,
        positive(settings, IDLE_TIMEOUT, Duration.ofSeconds(30)),
        positive(settings, BODY_TIMEOUT, Duration.ofSeconds(10)),
        // generous enough for a household or office behind one address, far below the thread pool
        settings.integer(MAX_CONNECTIONS_PER_CLIENT, 50, 1, 100_000),
        ClientAddresses.trusting(TRUSTED_PROXIES, settings.list(TRUSTED_PROXIES, List.of())));
  }

  /** The defaults, as if nothing were set. */
  public static HttpServerSettings defaults() {
    return from(Settings.of(Map.of()));
  }

  /** The same limits, listening on {@code host} (null: all interfaces). */
  public HttpServerSettings withBindHost(String host) {
    return new HttpServerSettings(host, idleTimeout, bodyTimeout, maxConnectionsPerClient, clients);
  }

  private static Duration positive(Settings settings, String name, Duration defaultValue) {
    Duration value = settings.duration(name, defaultValue);
    if (value.isZero() || value.isNegative()) {
      throw new InvalidSettingException(name, value.toString(), "more than zero");
    }
    return value;
  }
}
