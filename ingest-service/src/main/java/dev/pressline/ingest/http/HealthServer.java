package dev.pressline.ingest.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Serves {@code GET /health} on Jetty 12 core (200 when the service works, 503 with the reason when
 * not) and {@code GET /metrics} in the Prometheus text format.
 */
public final class HealthServer implements AutoCloseable {

  /**
   * The service's state as {@code /health} reports it.
   *
   * @param up whether posts are being taken
   * @param detail a few words: what is wrong, or counts when all is well
   */
  public record Health(boolean up, String detail) {}

  private final Server server;

  public HealthServer(int port, Supplier<Health> health, Supplier<String> metrics) {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if ("/metrics".equals(path)) {
          response.setStatus(HttpStatus.OK_200);
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
          response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
          response.write(true, ByteBuffer.wrap(metrics.get().getBytes(StandardCharsets.UTF_8)), callback);
          return true;
        }
        if (!"/health".equals(path)) {
          return false;
        }
        Health h = health.get();
        String body = "{\"service\":\"ingest-service\",\"status\":\"" + (h.up() ? "UP" : "DOWN")
            + "\",\"detail\":\"" + h.detail().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n";
        response.setStatus(h.up() ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
      }
    });
  }

  public HealthServer start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the health endpoint: " + e.getMessage(), e);
    }
    return this;
  }

  /** The port actually listened on (useful when 0 was asked for). */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the health endpoint: " + e.getMessage(), e);
    }
  }
}
