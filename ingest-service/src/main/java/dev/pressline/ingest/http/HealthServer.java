package dev.pressline.ingest.http;

import dev.pressline.support.http.HttpServerBuilder;
import dev.pressline.support.http.HttpServerSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;

/**
 * ingest-service's HTTP side on Jetty 12 core: {@code GET /health} and {@code /health/ready} (200
 * when posts are being taken, 503 with the reason when not), {@code GET /health/live} (503 only once
 * the service cannot recover by itself and should be restarted) and {@code GET /metrics} from the
 * service's metrics registry.
 */
public final class HealthServer implements AutoCloseable {

  /**
   * The service's state as {@code /health} reports it.
   *
   * @param up whether posts are being taken (readiness)
   * @param alive false once a part that does not come back by itself has stopped (liveness)
   * @param detail a few words: what is wrong, or counts when all is well
   */
  public record Health(boolean up, boolean alive, String detail) {}

  private final Server server;

  /** @param http where to listen and the limits on clients, shared by all services */
  public HealthServer(HttpServerSettings http, int port, Supplier<Health> health, Handler metrics) {
    PathMappingsHandler paths = new PathMappingsHandler();
    Handler readiness = answer(health, Health::up, h -> h.up() ? "UP" : "DOWN");
    paths.addMapping(PathSpec.from("/health"), readiness);
    paths.addMapping(PathSpec.from("/health/ready"), readiness);
    paths.addMapping(PathSpec.from("/health/live"),
        answer(health, Health::alive, h -> h.alive() ? "ALIVE" : "STOPPED"));
    paths.addMapping(PathSpec.from("/metrics"), metrics);
    server = new HttpServerBuilder(http, port).build(paths);
  }

  private static Handler answer(Supplier<Health> health, Predicate<Health> good, Function<Health, String> status) {
    return new Handler.Abstract.NonBlocking() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Health h = health.get();
        String body = "{\"service\":\"ingest-service\",\"status\":\"" + status.apply(h)
            + "\",\"detail\":\"" + h.detail().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n";
        response.setStatus(good.test(h) ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
      }
    };
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
    return HttpServerBuilder.localPort(server);
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
