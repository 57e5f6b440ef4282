package dev.pressline.publisher.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pressline.publisher.deliverylog.DeliveryReports;
import dev.pressline.publisher.subscribe.BounceReports;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator actions under {@code /admin/}, each requiring {@code Authorization: Bearer <admin token>}.
 * Without a configured token they are all switched off.
 */
public final class AdminActions {

  private static final Logger log = LoggerFactory.getLogger(AdminActions.class);

  private final byte[] token;
  private static final long MAX_BOUNCE_BYTES = 1024 * 1024;

  private final DeliveryReports reports;
  private final BounceReports bounces;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** {@code adminToken} null switches the admin actions off. */
  public AdminActions(String adminToken, DeliveryReports reports, BounceReports bounces) {
    this.token = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    this.reports = reports;
    this.bounces = bounces;
  }

  void handle(String path, Request request, Response response, Callback callback) throws Exception {
    if (token == null) {
      PublisherHttp.text(response, callback, 403, "text/plain",
          "Admin actions are switched off: set PRESSLINE_ADMIN_TOKEN to use them.\n");
      return;
    }
    if (!authorised(request)) {
      log.warn("Refused admin request {} from {}: wrong or missing token", path, Request.getRemoteAddr(request));
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"pressline-admin\"");
      PublisherHttp.text(response, callback, 401, "text/plain", "A valid admin token is required.\n");
      return;
    }
    String method = request.getMethod();
    String slug = Request.extractQueryParameters(request).getValue("slug");
    switch (path) {
      case "/admin/report" -> {
        requireSlug(slug);
        PublisherHttp.text(response, callback, 200, "application/json",
            json.writeValueAsString(reports.report(slug)));
      }
      case "/admin/retry-failed" -> {
        if (!"POST".equals(method)) {
          PublisherHttp.text(response, callback, 405, "text/plain", "Use POST.\n");
          return;
        }
        requireSlug(slug);
        int count = reports.retryFailed(slug);
        log.info("Operator asked to retry the failed deliveries of '{}': {} queued again", slug, count);
        PublisherHttp.text(response, callback, 200, "application/json",
            json.writeValueAsString(Map.of("slug", slug, "requeued", count)));
      }
      case "/admin/bounces" -> {
        if (!"POST".equals(method)) {
          PublisherHttp.text(response, callback, 405, "text/plain", "Use POST with the bounce message as body.\n");
          return;
        }
        if (request.getLength() > MAX_BOUNCE_BYTES) {
          PublisherHttp.text(response, callback, 413, "text/plain", "The bounce message is too large.\n");
          return;
        }
        List<String> suppressed = bounces.process(Content.Source.asInputStream(request));
        PublisherHttp.text(response, callback, 200, "application/json",
            json.writeValueAsString(Map.of("suppressed", suppressed)));
      }
      default -> PublisherHttp.text(response, callback, 404, "text/plain", "Not found\n");
    }
  }

  private static void requireSlug(String slug) {
    if (slug == null || slug.isBlank()) {
      throw new PublisherHttp.BadRequestException("Name the post with ?slug=…");
    }
  }

  private boolean authorised(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
    // constant time: the comparison must not reveal how much of a guess was right
    return MessageDigest.isEqual(token, given);
  }
}
