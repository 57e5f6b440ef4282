package dev.pressline.publisher.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pressline.publisher.subscribe.InvalidAddressException;
import dev.pressline.publisher.subscribe.Subscriptions;
import dev.pressline.publisher.token.InvalidTokenException;
import dev.pressline.support.http.ClientAddresses;
import dev.pressline.support.http.HttpServerSettings;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's web surface: {@code /health}, {@code /metrics}, {@code /subscribe}, {@code /confirm},
 * {@code /unsubscribe} (RFC 8058 one-click) and the token-protected {@code /admin/...} actions.
 */
public final class PublisherHttp extends Handler.Abstract {

  private static final Logger log = LoggerFactory.getLogger(PublisherHttp.class);
  private static final int MAX_BODY = 16 * 1024;
  private static final int MAX_FORM_FIELDS = 10;
  /** The paths whose POST carries a body worth reading; admin actions read their own, after the token. */
  private static final Set<String> BODY_PATHS = Set.of("/subscribe", "/confirm", "/unsubscribe");

  private final Subscriptions subscriptions;
  private final BooleanSupplier ready;
  private final Supplier<Optional<String>> live;
  private final Supplier<Map<String, Object>> status;
  private final AdminActions admin;
  private final Supplier<String> metrics;
  private final ClientRateLimit subscribeLimit;
  private final ClientAddresses clients;
  private final Duration bodyTimeout;
  private final PebbleTemplate page;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param ready whether the instance has read its topics and sends (readiness: {@code /health},
   *     {@code /health/ready})
   * @param live why the process should be restarted, once a part that does not come back by itself
   *     has stopped or is stuck; empty while alive (liveness: {@code /health/live})
   * @param http who a client is (for the rate limit) and how long a request body may take
   */
  public PublisherHttp(Subscriptions subscriptions, BooleanSupplier ready, Supplier<Optional<String>> live,
      Supplier<Map<String, Object>> status, Supplier<String> metrics, AdminActions admin, int subscribesPerMinute,
      Clock clock, HttpServerSettings http) {
    this.metrics = requireNonNull(metrics, "metrics");
    this.subscriptions = requireNonNull(subscriptions, "subscriptions");
    this.ready = requireNonNull(ready, "ready");
    this.live = requireNonNull(live, "live");
    this.status = requireNonNull(status, "status");
    this.admin = requireNonNull(admin, "admin");
    this.subscribeLimit = new ClientRateLimit(subscribesPerMinute, clock);
    this.clients = http.clients();
    this.bodyTimeout = http.bodyTimeout();
    ClasspathLoader loader = new ClasspathLoader(PublisherHttp.class.getClassLoader());
    loader.setPrefix("dev/pressline/publisher/http");
    this.page = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false).build()
        .getTemplate("page.html.peb");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    if ("POST".equals(method) && BODY_PATHS.contains(path)) {
      if (request.getLength() > MAX_BODY) {
        log.info("Refused POST {} from {}: a body of {} bytes", path, Request.getRemoteAddr(request), request.getLength());
        text(response, callback, 413, "text/plain", "The request is too large.\n");
        return true;
      }
      // the body is collected without a thread: a client that sends it byte by byte holds none of
      // ours, and one that has not sent it all within the deadline is answered and cut off
      Content.Source.asByteArrayAsync(request, MAX_BODY)
          .orTimeout(bodyTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .whenCompleteAsync((body, failure) -> {
            if (failure == null) {
              answer(request, response, callback, path, method, body);
            } else {
              bodyFailed(request, response, callback, path, failure);
            }
          }, request.getComponents().getExecutor());
      return true;
    }
    answer(request, response, callback, path, method, new byte[0]);
    return true;
  }

  private void answer(Request request, Response response, Callback callback, String path, String method,
      byte[] body) {
    try {
      switch (path) {
        case "/health", "/health/ready" -> health(response, callback, ready.getAsBoolean(), "UP", "STARTING", null);
        case "/health/live" -> {
          Optional<String> problem = live.get();
          health(response, callback, problem.isEmpty(), "ALIVE", "STOPPED", problem.orElse(null));
        }
        case "/metrics" -> text(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
        case "/subscribe" -> {
          if ("POST".equals(method)) {
            subscribe(request, response, callback, body);
          } else {
            html(response, callback, 200, "Subscribe", "Get every new post by email.", "subscribe", "/subscribe");
          }
        }
        case "/confirm" -> confirm(request, response, callback, method);
        case "/unsubscribe" -> unsubscribe(request, response, callback, method, body);
        default -> {
          if (path.startsWith("/admin/")) {
            admin.handle(path, request, response, callback);
          } else {
            text(response, callback, 404, "text/plain", "Not found\n");
          }
        }
      }
    } catch (InvalidTokenException e) {
      html(response, callback, 400, "This link does not work", "Sorry: " + e.getMessage()
          + ". Use the newest link you received, or subscribe again.", null, null);
    } catch (BadRequestException e) {
      log.info("Refused {} {} from {}: {}", method, path, Request.getRemoteAddr(request), e.getMessage());
      text(response, callback, 400, "text/plain", e.getMessage() + "\n");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      text(response, callback, 503, "text/plain", "The service is stopping. Please try again later.\n");
    } catch (Exception e) {
      log.error("Request {} {} failed: {}", method, path, e.getMessage(), e);
      text(response, callback, 500, "text/plain", "Something went wrong on our side. Please try again later.\n");
    }
  }

  /** The body did not arrive whole: too large, cut off, or too slow. */
  private static void bodyFailed(Request request, Response response, Callback callback, String path,
      Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    // the connection cannot carry another request after a body we did not read to its end
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    if (cause instanceof TimeoutException) {
      log.info("Cut off POST {} from {}: its body did not arrive within the deadline", path,
          Request.getRemoteAddr(request));
      text(response, callback, 408, "text/plain", "The request took too long to arrive.\n");
    } else {
      log.info("Refused POST {} from {}: its body was too large or incomplete", path, Request.getRemoteAddr(request));
      text(response, callback, 400, "text/plain", "The request is too large or incomplete.\n");
    }
  }

  /**
   * A health answer: 200 with {@code good} as status, or 503 with {@code bad} and the reason (if
   * any); then the instance's figures.
   */
  private void health(Response response, Callback callback, boolean ok, String good, String bad, String reason)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ok ? good : bad);
    if (reason != null) {
      body.put("reason", reason);
    }
    body.putAll(status.get());
    text(response, callback, ok ? 200 : 503, "application/json", json.writeValueAsString(body));
  }

  private void subscribe(Request request, Response response, Callback callback, byte[] body) throws Exception {
    String client = clients.clientOf(request);
    if (!subscribeLimit.allow(client)) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "60");
      text(response, callback, 429, "text/plain", "Too many subscribe requests from your address. Try again in a minute.\n");
      log.warn("Subscribe requests from {} rate limited", client);
      return;
    }
    boolean isJson = contentType(request).startsWith("application/json");
    String email;
    if (isJson) {
      JsonNode node;
      try {
        node = json.readTree(body);
      } catch (IOException e) {
        // Jackson's message quotes the input and names its own classes: not for the client
        throw new BadRequestException("The request body is not valid JSON.");
      }
      email = node == null || !node.hasNonNull("email") ? null : node.get("email").asText();
    } else {
      email = form(request, body).getValue("email");
    }
    try {
      String normalised = subscriptions.requestSubscription(email, "web");
      if (isJson) {
        text(response, callback, 202, "application/json",
            json.writeValueAsString(Map.of("status", "pending", "email", normalised)));
      } else {
        html(response, callback, 202, "Check your inbox",
            "We sent a confirmation link to " + normalised + ". Click it to start receiving posts.", null, null);
      }
    } catch (InvalidAddressException e) {
      log.info("Refused a subscribe request from {}: {}", client, e.reason());
      if (isJson) {
        text(response, callback, 400, "application/json", json.writeValueAsString(Map.of("error", e.getMessage())));
      } else {
        html(response, callback, 400, "Subscribe", e.getMessage() + ". Please check it and try again.",
            "subscribe", "/subscribe");
      }
    } catch (RejectedExecutionException e) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "60");
      text(response, callback, 503, "text/plain", "We have too many requests right now. Please try again in a minute.\n");
    }
  }

  private void confirm(Request request, Response response, Callback callback, String method) throws Exception {
    String token = Request.extractQueryParameters(request).getValue("token");
    if ("POST".equals(method)) {
      String email = subscriptions.confirm(token);
      html(response, callback, 200, "You are subscribed",
          "Thank you: " + email + " will receive every new post. Each email has a link to unsubscribe.", null, null);
      return;
    }
    // GET must not confirm: link scanners in mail systems open every link, and would sign up
    // people who never asked; a bad or expired link says so already here
    subscriptions.checkConfirmToken(token);
    html(response, callback, 200, "Confirm your subscription?", "Click the button to start receiving posts by email.",
        "confirm", "/confirm?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
  }

  private void unsubscribe(Request request, Response response, Callback callback, String method, byte[] body)
      throws Exception {
    String token = Request.extractQueryParameters(request).getValue("token");
    if ("POST".equals(method)) {
      // RFC 8058: the POST itself unsubscribes, with no login, cookie or redirect
      Fields form = form(request, body);
      String how = "List-Unsubscribe=One-Click".equals("List-Unsubscribe=" + form.getValue("List-Unsubscribe"))
          ? "one-click" : "web";
      String email = subscriptions.unsubscribe(token, how);
      html(response, callback, 200, "You are unsubscribed", email + " will get no more posts from us.", null, null);
      return;
    }
    // GET must not unsubscribe: link scanners in mail systems open every link
    html(response, callback, 200, "Unsubscribe?", "Click the button to stop receiving posts by email.",
        "unsubscribe", "/unsubscribe?token=" + (token == null ? "" : URLEncoder.encode(token, StandardCharsets.UTF_8)));
  }

  private static String contentType(Request request) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    return type == null ? "" : type.toLowerCase(Locale.ROOT);
  }

  /** The fields of a URL-encoded form body; none for any other type of body. */
  private static Fields form(Request request, byte[] body) {
    Fields fields = new Fields();
    if (!contentType(request).startsWith("application/x-www-form-urlencoded")) {
      return fields;
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
      UrlEncoded.decodeUtf8To(text, fields);
    } catch (CharacterCodingException | IllegalArgumentException e) {
      // a bad %-escape or bytes that are not UTF-8: the client's mistake, said without internals
      throw new BadRequestException("The form data is not valid URL-encoded UTF-8.");
    }
    if (fields.getSize() > MAX_FORM_FIELDS) {
      throw new BadRequestException("The form has too many fields.");
    }
    return fields;
  }

  private void html(Response response, Callback callback, int status, String title, String message, String form,
      String action) {
    Map<String, Object> model = new HashMap<>();
    model.put("title", title);
    model.put("message", message);
    model.put("form", form == null ? "" : form);
    model.put("action", action == null ? "" : action);
    StringWriter out = new StringWriter();
    try {
      page.evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    response.getHeaders().put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    text(response, callback, status, "text/html; charset=utf-8", out.toString());
  }

  static void text(Response response, Callback callback, int status, String type, String body) {
    response.setStatus(status);
    String contentType = type.contains("charset") || !type.startsWith("text/") && !type.equals("application/json")
        ? type : type + "; charset=utf-8";
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }

  /** A request the client must fix; the message says how. */
  static final class BadRequestException extends dev.pressline.publisher.PublisherException {
    BadRequestException(String message) {
      super(message);
    }
  }
}
