package dev.pressline.ingest.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;

/**
 * ingest-service's HTTP side on Jetty 12 core: {@code GET /health} (200 when the service works, 503
 * with the reason when not) and {@code GET /metrics} from the service's metrics registry.
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

  public HealthServer(int port, Supplier<Health> health, Handler metrics) {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(port);
    server.addConnector(connector);
    PathMappingsHandler paths = new PathMappingsHandler();
    paths.addMapping(PathSpec.from("/health"), new Handler.Abstract.NonBlocking() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
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
    paths.addMapping(PathSpec.from("/metrics"), metrics);
    server.setHandler(paths);
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
