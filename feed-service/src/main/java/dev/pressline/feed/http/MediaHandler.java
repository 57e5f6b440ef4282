package dev.pressline.feed.http;

import static java.util.Objects.requireNonNull;

import dev.pressline.feed.media.MediaName;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In front of the media store's file handler inside {@code /media}: turns a readable URL ({@code
 * /media/<key>/<slug>.mp3}) into the stored file's path ({@code /media/<key>.mp3}), keeps the old
 * hash-only URLs working, and answers 404 for files that only retracted posts use. Byte ranges,
 * ETags and 304s stay the wrapped handler's, so both URLs of a file behave the same.
 */
final class MediaHandler extends Handler.Wrapper {

  private final MediaGate gate;

  MediaHandler(Handler files, MediaGate gate) {
    super(requireNonNull(files, "files"));
    this.gate = requireNonNull(gate, "gate");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    MediaName file = MediaName.fromUrlPath(Request.getPathInContext(request));
    if (file == null) {
      Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      return true;
    }
    switch (gate.access(file)) {
      case LOADING -> {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
        Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503);
        return true;
      }
      case WITHHELD -> {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        return true;
      }
      default -> {
        // the file handler looks only at the path; the stored name is plain, nothing to escape
        HttpURI stored =
            HttpURI.build(request.getHttpURI())
                .path(request.getContext().getContextPath() + "/" + file.storedName())
                .asImmutable();
        return super.handle(
            new Request.Wrapper(request) {
              @Override
              public HttpURI getHttpURI() {
                return stored;
              }
            },
            response,
            callback);
      }
    }
  }
}
