package dev.pressline.feed.http;

import static java.util.Objects.requireNonNull;

import dev.pressline.feed.FeedException;
import dev.pressline.support.http.HttpServerBuilder;
import dev.pressline.support.http.HttpServerSettings;
import java.nio.file.Path;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Jetty server: {@code /media/} from the media store through Jetty's ResourceHandler (byte
 * ranges, ETags, 304s and path checks are Jetty's) behind {@link MediaHandler} (readable names,
 * retracted files), everything else through {@link
 * SiteHandler}; the prebuilt answers without a thread hand-off ({@link InlineRoutes}).
 */
public final class FeedHttpServer implements AutoCloseable {

  private final Server server;
  private final int port;

  /**
   * @param http where to listen and the limits on clients, shared by all services (the shared
   *     builder also leaves out the Server header: one header less on every response, 304s included)
   * @param mediaGate which files of the media store may be served (not those of retracted posts)
   */
  public FeedHttpServer(HttpServerSettings http, int port, Path mediaDir, Handler siteHandler, MediaGate mediaGate) {
    requireNonNull(http, "http");
    requireNonNull(mediaDir, "mediaDir");
    requireNonNull(siteHandler, "siteHandler");
    requireNonNull(mediaGate, "mediaGate");
    this.port = port;
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("feed-http");
    server = new Server(threads);

    ResourceHandler media = new ResourceHandler();
    media.setBaseResource(
        ResourceFactory.of(server).newResource(mediaDir.toAbsolutePath().normalize()));
    media.setDirAllowed(false);
    media.setEtags(true);
    media.setAcceptRanges(true);
    // names are content hashes, so a file never changes under its name
    media.setCacheControl("public, max-age=86400");
    ContextHandler mediaContext = new ContextHandler(new MediaHandler(media, mediaGate), "/media");
    ContextHandler siteContext = new ContextHandler(siteHandler, "/");
    new HttpServerBuilder(http, port).configure(server,
        new InlineRoutes(
            siteHandler, new ContextHandlerCollection(mediaContext, siteContext), threads));
  }

  public FeedHttpServer start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new FeedException(
          "cannot start the HTTP server on port " + port + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** The port actually listened on (the chosen one when the setting was 0). */
  public int port() {
    return HttpServerBuilder.localPort(server);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new FeedException("the HTTP server did not stop cleanly", e);
    }
  }
}
