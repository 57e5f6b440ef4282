package dev.pressline.feed.http;

import static java.util.Objects.requireNonNull;

import dev.pressline.feed.site.Representation;
import dev.pressline.feed.site.SiteSnapshot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Serves the prebuilt site: feeds, home page, post pages and health. Every answer comes from the
 * current {@link SiteSnapshot}, so a request costs a lookup and a write, never a render. Handles
 * the conditional requests, compression and HEAD that podcast apps and CDNs rely on.
 */
public final class SiteHandler extends Handler.Abstract.NonBlocking {

  private static final String HTML = "text/html; charset=utf-8";

  private final Supplier<SiteSnapshot> site;
  private final Supplier<Optional<String>> liveness;
  private final Supplier<String> metrics;
  private final byte[] notFoundPage;
  private final String contentSecurityPolicy;
  // the same on every feed and page response: encoded once
  private final HttpField cacheControlField;
  private final HttpField contentSecurityPolicyField;
  private static final HttpField VARY_ACCEPT_ENCODING =
      new PreEncodedHttpField(HttpHeader.VARY, "Accept-Encoding");
  private static final HttpField NOSNIFF =
      new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
  private static final HttpField GZIP = new PreEncodedHttpField(HttpHeader.CONTENT_ENCODING, "gzip");
  /** Takes Content-Length out of a response's header just before it is written. */
  private static final Function<HttpStream, HttpStream> WITHOUT_CONTENT_LENGTH =
      stream ->
          new HttpStream.Wrapper(stream) {
            @Override
            public void prepareResponse(HttpFields.Mutable headers) {
              super.prepareResponse(headers);
              headers.remove(HttpHeader.CONTENT_LENGTH);
            }
          };
  private final PreparedHeaders prepared = new PreparedHeaders();
  private final Map<String, Representation> files;
  private final Map<String, PreparedHeaders.Fields> fileFields;

  /**
   * @param site the current snapshot, or null while the catalogue is still loading
   * @param notFoundPage the HTML shown for unknown addresses
   * @param maxAge how long clients may reuse feeds and pages without asking again
   * @param formAction where the subscribe form may post (the publisher's origin)
   * @param metrics the current metrics in Prometheus text format
   * @param liveness why the process should be restarted, once a part that does not come back by
   *     itself (the topic follower, the site refresher) has stopped or is stuck: {@code /health/live}
   * @param files fixed answers by path that do not depend on the catalogue (the made cover art),
   *     served also while the catalogue loads
   */
  public SiteHandler(
      Supplier<SiteSnapshot> site,
      byte[] notFoundPage,
      Duration maxAge,
      String formAction,
      Supplier<String> metrics,
      Supplier<Optional<String>> liveness,
      Map<String, Representation> files) {
    this.files = Map.copyOf(requireNonNull(files, "files"));
    Map<String, PreparedHeaders.Fields> fields = new HashMap<>();
    this.files.forEach((path, rep) -> fields.put(path, PreparedHeaders.Fields.of(rep)));
    this.fileFields = Map.copyOf(fields);
    this.site = requireNonNull(site, "site");
    this.liveness = requireNonNull(liveness, "liveness");
    this.metrics = requireNonNull(metrics, "metrics");
    this.notFoundPage = notFoundPage.clone();
    this.cacheControlField =
        new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "public, max-age=" + maxAge.toSeconds());
    // no scripts at all; post bodies may show images from elsewhere, media comes from here
    this.contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: http: data:; "
            + "media-src 'self'; form-action 'self' "
            + formAction
            + "; base-uri 'none'; frame-ancestors 'none'";
    this.contentSecurityPolicyField =
        new PreEncodedHttpField("Content-Security-Policy", contentSecurityPolicy);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    boolean head = HttpMethod.HEAD.is(method);
    if (!head && !HttpMethod.GET.is(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      return text(
          response,
          callback,
          HttpStatus.METHOD_NOT_ALLOWED_405,
          "only GET and HEAD are served here\n",
          head);
    }
    String path = Request.getPathInContext(request);
    SiteSnapshot snapshot = site.get();
    if (path.equals("/health") || path.equals("/health/ready")) {
      return health(response, callback, snapshot, head);
    }
    if (path.equals("/health/live")) {
      Optional<String> problem = liveness.get();
      response.setStatus(problem.isEmpty() ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      String json = problem.isEmpty() ? "{\"status\":\"ALIVE\",\"service\":\"feed\"}"
          : "{\"status\":\"STOPPED\",\"service\":\"feed\",\"reason\":\""
              + problem.get().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
      return body(response, callback, json.getBytes(StandardCharsets.UTF_8), head);
    }
    if (path.equals("/metrics")) {
      response.setStatus(HttpStatus.OK_200);
      response
          .getHeaders()
          .put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      return body(response, callback, metrics.get().getBytes(StandardCharsets.UTF_8), head);
    }
    Representation file = files.get(path);
    if (file != null) {
      return serve(request, response, callback, fileFields.get(path), file, head);
    }
    if (snapshot == null) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
      return text(
          response,
          callback,
          HttpStatus.SERVICE_UNAVAILABLE_503,
          "the feed is still loading the catalogue; try again in a few seconds\n",
          head);
    }
    Optional<Representation> found;
    if (path.equals("/") || path.equals("/feed.xml") || path.equals("/podcast.xml")) {
      Integer page = page(request);
      if (page == null) {
        return text(
            response,
            callback,
            HttpStatus.BAD_REQUEST_400,
            "page must be a whole number from 1\n",
            head);
      }
      found =
          switch (path) {
            case "/" -> snapshot.indexPage(page);
            case "/feed.xml" -> snapshot.feedPage(page);
            default -> snapshot.podcastPage(page);
          };
    } else if (path.startsWith("/posts/")) {
      String slug = path.substring("/posts/".length());
      if (slug.endsWith("/")) {
        slug = slug.substring(0, slug.length() - 1);
      }
      found = snapshot.post(slug);
    } else {
      found = Optional.empty();
    }
    if (found.isEmpty()) {
      response.setStatus(HttpStatus.NOT_FOUND_404);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, HTML);
      response.getHeaders().put("Content-Security-Policy", contentSecurityPolicy);
      return body(response, callback, notFoundPage, head);
    }
    return serve(
        request, response, callback, prepared.of(snapshot, found.get()), found.get(), head);
  }

  private static Integer page(Request request) {
    if (request.getHttpURI().getQuery() == null) {
      return 1; // what nearly every request asks for: no query to parse
    }
    Fields query = Request.extractQueryParameters(request);
    String raw = query.getValue("page");
    if (raw == null) {
      return 1;
    }
    try {
      int page = Integer.parseInt(raw.trim());
      return page >= 1 ? page : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private boolean serve(
      Request request,
      Response response,
      Callback callback,
      PreparedHeaders.Fields fields,
      Representation rep,
      boolean head) {
    // images are compressed already
    boolean gzip =
        !rep.contentType().startsWith("image/")
            && acceptsGzip(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING));
    String etag = gzip ? rep.gzipEtag() : rep.etag();
    var headers = response.getHeaders();
    // RFC 9110 15.4.5: a 304 carries the validators, Cache-Control and Vary of the 200 it stands
    // for, and no metadata about a body it does not have; so it is answered before the rest
    headers.add(gzip ? fields.gzipEtag() : fields.etag());
    if (fields.lastModified() != null) {
      headers.add(fields.lastModified());
    }
    headers.add(cacheControlField);
    // caches must keep the gzip and plain bodies apart
    headers.add(VARY_ACCEPT_ENCODING);
    if (notModified(request, etag, rep.lastModified())) {
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      // no Content-Length at all, as nginx answers: the 200's length (which RFC 9110 8.6 allows)
      // makes clients such as wrk wait for that many bytes, and the "Content-Length: 0" Jetty
      // names for a response completed without content is wrong for a 304 of a non-empty body
      request.addHttpStreamWrapper(WITHOUT_CONTENT_LENGTH);
      callback.succeeded();
      return true;
    }
    headers.add(fields.contentType());
    headers.add(NOSNIFF);
    if (rep.contentType().startsWith("text/html")) {
      headers.add(contentSecurityPolicyField);
    }
    if (gzip) {
      headers.add(GZIP);
    }
    return body(response, callback, gzip ? rep.gzipped() : rep.body(), head);
  }

  /** RFC 9110 13.2.2: If-None-Match wins; If-Modified-Since counts only without it. */
  static boolean notModified(Request request, String etag, Instant lastModified) {
    String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      if (ifNoneMatch.equals(etag)) {
        return true; // the usual case, a client sending back the one tag it got: nothing to split
      }
      for (String candidate : ifNoneMatch.split(",")) {
        String tag = candidate.trim();
        if (tag.startsWith("W/")) {
          tag = tag.substring(2); // If-None-Match compares weakly
        }
        if (tag.equals("*") || tag.equals(etag)) {
          return true;
        }
      }
      return false;
    }
    String ifModifiedSince = request.getHeaders().get(HttpHeader.IF_MODIFIED_SINCE);
    if (ifModifiedSince != null) {
      try {
        Instant since =
            ZonedDateTime.parse(ifModifiedSince.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant();
        return !lastModified.isAfter(since);
      } catch (DateTimeParseException e) {
        return false; // an unreadable date is ignored, as RFC 9110 asks
      }
    }
    return false;
  }

  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.trim().split(";");
      String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
      if (!coding.equals("gzip") && !coding.equals("x-gzip")) {
        continue;
      }
      for (int i = 1; i < pieces.length; i++) {
        String param = pieces[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (param.startsWith("q=")) {
          try {
            return Double.parseDouble(param.substring(2)) > 0;
          } catch (NumberFormatException e) {
            return false;
          }
        }
      }
      return true;
    }
    return false;
  }

  private static boolean health(
      Response response, Callback callback, SiteSnapshot snapshot, boolean head) {
    boolean up = snapshot != null;
    String json =
        up
            ? "{\"status\":\"UP\",\"service\":\"feed\",\"posts\":"
                + snapshot.visibleSlugs().size()
                + "}"
            : "{\"status\":\"STARTING\",\"service\":\"feed\",\"reason\":\"reading the posts"
                  + " topic\"}";
    response.setStatus(up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    return body(response, callback, json.getBytes(StandardCharsets.UTF_8), head);
  }

  private static boolean text(
      Response response, Callback callback, int status, String message, boolean head) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    return body(response, callback, message.getBytes(StandardCharsets.UTF_8), head);
  }

  private static boolean body(Response response, Callback callback, byte[] bytes, boolean head) {
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    if (head) {
      callback.succeeded();
    } else {
      response.write(true, ByteBuffer.wrap(bytes), callback);
    }
    return true;
  }
}
