package dev.pressline.support.http;

import static java.util.Objects.requireNonNull;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The one way every Pressline HTTP server (publisher, feed, ingest's health endpoint, the launcher's
 * mail catcher) is built, so all of them listen where configured, hang up on idle and crowding
 * clients, and say nothing about themselves in headers or error pages.
 */
public final class HttpServerBuilder {

  /** Request line plus headers; Jetty's own default, stated because it is a limit we rely on. */
  private static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;

  private final HttpServerSettings settings;
  private final int port;

  public HttpServerBuilder(HttpServerSettings settings, int port) {
    this.settings = requireNonNull(settings, "settings");
    this.port = port;
  }

  /** A server, not yet started, with Jetty's default thread pool and one connector on the configured interface and port. */
  public Server build(Handler handler) {
    return configure(new Server(), handler);
  }

  /**
   * Gives a server of the caller's own (its own thread pool, or handlers that need the server
   * first) the connector, error handler and {@code handler}; returns it, not yet started.
   */
  public Server configure(Server server, Handler handler) {
    HttpConfiguration http = new HttpConfiguration();
    // the product and version help nobody but someone looking for a known hole
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
    http.setIdleTimeout(settings.idleTimeout().toMillis());
    // no setMinRequestDataRate: Jetty 12.1 keeps the value but nothing enforces it for HTTP/1.1;
    // a handler that reads a body applies HttpServerSettings.bodyTimeout() itself, without a thread
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(settings.bindHost());
    connector.setPort(port);
    // a connection that sends nothing for this long (a trickle resets it; the per-client limit and
    // the body deadline of handlers that read bodies cover that) is closed
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    connector.addEventListener(new ClientConnectionLimit(settings.maxConnectionsPerClient(), settings.clients()));
    server.addConnector(connector);
    server.setErrorHandler(new PlainErrorHandler());
    server.setHandler(handler);
    return server;
  }

  /** The port a built server listens on (the chosen one when 0 was asked for). */
  public static int localPort(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }
}
