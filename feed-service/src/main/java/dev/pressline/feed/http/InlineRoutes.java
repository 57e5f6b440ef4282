package dev.pressline.feed.http;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The top of the handler tree. Requests for what is always built in advance (the first page of
 * each feed, the home page, {@code /health}) go straight to {@link SiteHandler} on the thread that
 * read them; everything else (media files, older pages and post pages that may still have to be
 * rendered, metrics) is handed to the thread pool and the usual handlers.
 *
 * <p>Why: Jetty lets a server whose handlers never block answer on the selector thread, without
 * handing each request to another thread. With the blocking file handler for {@code /media/} in
 * the tree, every request paid that hand-off, and for a 304 of {@code /feed.xml} (a few hundred
 * bytes) the hand-off was a large part of the work.
 */
final class InlineRoutes extends Handler.Wrapper {

  private static final Set<String> PREBUILT = Set.of("/feed.xml", "/podcast.xml", "/", "/health", "/health/ready", "/health/live");

  private final Handler inline;
  private final Executor pool;

  /**
   * @param inline the site handler, called directly for prebuilt answers
   * @param everything the full handler tree, called on a pool thread for the rest
   * @param pool where the rest runs
   */
  InlineRoutes(Handler inline, Handler everything, Executor pool) {
    super(everything);
    this.inline = requireNonNull(inline, "inline");
    this.pool = requireNonNull(pool, "pool");
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (isPrebuilt(request)) {
      return inline.handle(request, response, callback);
    }
    Handler next = getHandler();
    pool.execute(
        () -> {
          try {
            if (!next.handle(request, response, callback)) {
              Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
          } catch (Throwable e) {
            // Jetty turns a failed callback into an error response and logs it
            callback.failed(e);
          }
        });
    return true;
  }

  private static boolean isPrebuilt(Request request) {
    String method = request.getMethod();
    return (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method))
        && request.getHttpURI().getQuery() == null
        && PREBUILT.contains(request.getHttpURI().getPath());
  }
}
