package dev.pressline.console.web;

import static java.util.Objects.requireNonNull;

import dev.pressline.console.ConsoleConfig;
import dev.pressline.console.chart.LineChart;
import dev.pressline.console.health.ServiceHealth;
import dev.pressline.console.view.Catalogue;
import dev.pressline.console.view.DeliveryProgress;
import dev.pressline.console.view.Inbox;
import dev.pressline.console.view.Subscribers;
import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.FileOutcome;
import dev.pressline.events.PostEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.PublisherException;
import dev.pressline.publisher.admin.SubscriberCsv;
import dev.pressline.publisher.deliverylog.DeliveryReports;
import dev.pressline.publisher.render.EmailRenderer;
import dev.pressline.publisher.subscribe.EmailAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every page and action of the console. Nothing but sign-in, the stylesheet, the script and the
 * health endpoints answers without a session; every POST carries the session's CSRF token.
 */
public final class ConsoleHandler extends Handler.Abstract implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsoleHandler.class);
  private static final Pattern POST_PATH = Pattern.compile("/posts/([a-z0-9][a-z0-9-]{0,200})(/retry|/preview)?");
  /** A mailing of a post: its slug, or {@code <slug>@r<revision>} for a second one an update asked for. */
  private static final Pattern MAILING = Pattern.compile("[a-z0-9][a-z0-9-]{0,200}(@r[0-9]{1,9})?");
  private static final Pattern IMPORT_PATH = Pattern.compile("/subscribers/imports/([A-Za-z0-9_-]{10,40})");
  /** Largest CSV the console takes in one upload; bigger lists go through the CLI. */
  private static final long MAX_UPLOAD_BYTES = 20L * 1024 * 1024;
  private static final int GROWTH_DAYS = 30;
  /** Every page's own rules: only this origin's style, script and images, and no framing by others. */
  private static final String PAGE_POLICY = "default-src 'none'; style-src 'self'; script-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  /** The email preview: the newsletter's own inline styles and remote images, no script, its own origin. */
  private static final String PREVIEW_POLICY =
      "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-ancestors 'self'";

  private final ConsoleConfig config;
  private final Clock clock;
  private final Catalogue catalogue;
  private final DeliveryProgress progress;
  private final DeliveryReports reports;
  private final Subscribers subscribers;
  private final Inbox inbox;
  private final ServiceHealth health;
  private final Supplier<List<String>> missingTopics;
  private final BooleanSupplier ready;
  private final Sessions sessions;
  private final SignInLimiter limiter;
  private final Pages pages = new Pages();
  private final EmailRenderer emails;
  private final Imports imports;
  private final EventStream events;

  /**
   * The parts the pages read and act through, built in the composition root.
   *
   * @param missingTopics the topics the console reads that do not exist yet: it waits for them
   * @param ready whether every topic has been read to the end it had at start
   */
  public record Parts(Catalogue catalogue, DeliveryProgress progress, DeliveryReports reports,
      Subscribers subscribers, Inbox inbox, ServiceHealth health, Supplier<List<String>> missingTopics,
      BooleanSupplier ready) {}

  public ConsoleHandler(ConsoleConfig config, Parts parts, Clock clock) {
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
    this.catalogue = parts.catalogue();
    this.progress = parts.progress();
    this.reports = parts.reports();
    this.subscribers = parts.subscribers();
    this.inbox = parts.inbox();
    this.health = parts.health();
    this.missingTopics = parts.missingTopics();
    this.ready = parts.ready();
    this.sessions = new Sessions(config.sessionTtl(), clock);
    this.limiter = new SignInLimiter(config.signInAttempts(), clock);
    this.emails = new EmailRenderer(config.publisher().publicBaseUrl(), config.publisher().identity());
    this.imports = new Imports(config.publisher().kafka(), subscribers, clock);
    this.events = new EventStream(() -> pages.render("posts-rows", Map.of("rows", progress.rows())));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    try {
      switch (path) {
        case "/health", "/health/ready" -> {
          List<String> missing = missingTopics.get();
          boolean up = missing.isEmpty() && ready.getAsBoolean();
          text(response, callback, up ? 200 : 503, "text/plain",
              up ? "ready: the topics are read\n"
                  : !missing.isEmpty() ? "starting: " + waitingWords(missing) + "\n"
                  : "starting: reading the topics\n");
          return true;
        }
        case "/health/live" -> {
          text(response, callback, 200, "text/plain", "alive\n");
          return true;
        }
        case "/static/console.css" -> {
          resource(response, callback, "console-static/console.css", "text/css;charset=utf-8");
          return true;
        }
        case "/static/console.js" -> {
          resource(response, callback, "console-static/console.js", "text/javascript;charset=utf-8");
          return true;
        }
        case "/signin" -> {
          if ("POST".equals(method)) {
            signIn(request, response, callback);
          } else {
            signInPage(request, response, callback, 200, null);
          }
          return true;
        }
        default -> {
          // everything else needs a session
        }
      }
      Optional<Sessions.Session> session = sessions.check(cookie(request, Sessions.COOKIE));
      if (session.isEmpty()) {
        if ("GET".equals(method) || "HEAD".equals(method)) {
          redirect(response, callback, "/signin");
        } else {
          log.warn("Refused {} {} from {}: not signed in", method, path, client(request));
          message(response, callback, 403, null, "Not signed in", "Sign in first; then try again.");
        }
        return true;
      }
      Sessions.Session s = session.get();
      if ("POST".equals(method)) {
        post(path, request, response, callback, s);
      } else if ("GET".equals(method) || "HEAD".equals(method)) {
        get(path, request, response, callback, s);
      } else {
        text(response, callback, 405, "text/plain", "Use GET or POST.\n");
      }
    } catch (PublisherException | IllegalArgumentException e) {
      message(response, callback, 400, null, "That did not work", e.getMessage());
    }
    return true;
  }

  private void get(String path, Request request, Response response, Callback callback, Sessions.Session s)
      throws IOException {
    Map<String, Object> model = model(s);
    switch (path) {
      case "/" -> {
        model.put("nav", "posts");
        model.put("rows", progress.rows());
        page(response, callback, 200, "posts", model);
        return;
      }
      case "/events" -> {
        if (!events.open(response, callback)) {
          text(response, callback, 503, "text/plain", "Too many live views are open.\n");
        }
        return;
      }
      case "/inbox" -> {
        String kind = Request.extractQueryParameters(request).getValue("kind");
        FileOutcome.Kind chosen = null;
        if (kind != null && !kind.isBlank()) {
          chosen = FileOutcome.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        }
        model.put("nav", "inbox");
        model.put("kind", chosen == null ? "" : chosen.name().toLowerCase(Locale.ROOT));
        model.put("kinds", List.of("published", "updated", "duplicate", "rejected", "retracted"));
        model.put("outcomes", inbox.latest(chosen, 100));
        model.put("waiting", inbox.waiting());
        page(response, callback, 200, "inbox", model);
        return;
      }
      case "/subscribers" -> {
        subscribersPage(request, response, callback, model, null);
        return;
      }
      case "/subscribers/export" -> {
        StringWriter csv = new StringWriter();
        SubscriberCsv.exportTo(csv, subscribers.all());
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"subscribers.csv\"");
        log.info("Operator exported the subscriber list from the console");
        text(response, callback, 200, "text/csv", csv.toString());
        return;
      }
      case "/status" -> {
        model.put("nav", "status");
        model.put("probes", health.probes());
        model.put("lags", health.lags());
        page(response, callback, 200, "status", model);
        return;
      }
      default -> {
        // the paths with a part in them, below
      }
    }
    Matcher post = POST_PATH.matcher(path);
    if (post.matches() && post.group(2) == null) {
      Optional<PostEvent> event = catalogue.get(post.group(1));
      if (event.isEmpty()) {
        message(response, callback, 404, s, "No such post", "There is no post ‘" + post.group(1) + "’.");
        return;
      }
      model.put("nav", "posts");
      model.put("post", event.get());
      model.put("row", progress.row(event.get()));
      model.put("mailings", progress.mailings(event.get()));
      model.put("archiveUrl", config.publisher().publicBaseUrl() + "/posts/" + event.get().slug());
      String retried = Request.extractQueryParameters(request).getValue("retried");
      model.put("retried", retried == null ? "" : retried);
      page(response, callback, 200, "post", model);
      return;
    }
    if (post.matches() && "/preview".equals(post.group(2))) {
      Optional<PostEvent> event = catalogue.get(post.group(1));
      if (event.isEmpty()) {
        message(response, callback, 404, s, "No such post", "There is no post ‘" + post.group(1) + "’.");
        return;
      }
      URI unsubscribe = URI.create(config.publisher().baseUrl() + "/unsubscribe?preview");
      String html = emails.renderPost(event.get(), unsubscribe).html();
      response.getHeaders().put("Content-Security-Policy", PREVIEW_POLICY);
      text(response, callback, 200, "text/html;charset=utf-8", html);
      return;
    }
    Matcher job = IMPORT_PATH.matcher(path);
    if (job.matches()) {
      Optional<Imports.Job> found = imports.get(job.group(1));
      if (found.isEmpty()) {
        message(response, callback, 404, s, "No such import", "That import is not known (any more).");
        return;
      }
      model.put("nav", "subscribers");
      model.put("jobFile", found.get().file);
      model.put("jobTotal", found.get().total);
      model.put("percent", found.get().percent());
      model.put("done", found.get().done.get());
      model.put("finished", found.get().finished());
      model.put("summary", found.get().summary);
      model.put("headline", found.get().summary == null ? "" : found.get().summary.headline(found.get().confirmed));
      model.put("error", found.get().error == null ? "" : found.get().error);
      page(response, callback, 200, "import", model);
      return;
    }
    message(response, callback, 404, s, "Not found", "There is no such page.");
  }

  private void subscribersPage(Request request, Response response, Callback callback, Map<String, Object> model,
      String problem) {
    String asked = Request.extractQueryParameters(request).getValue("email");
    model.put("nav", "subscribers");
    model.put("counts", subscribers.countsByStatus());
    model.put("statuses", List.of(SubscriberStatus.values()));
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    model.put("chart", LineChart.of(subscribers.confirmedPerDay(today, GROWTH_DAYS), today));
    model.put("asked", asked == null ? "" : asked.strip());
    String normalised = asked == null ? null : EmailAddress.normalise(asked).orElse(null);
    model.put("history", normalised == null ? List.of() : subscribers.history(normalised));
    model.put("lookedUp", asked != null && !asked.isBlank());
    model.put("problem", problem == null ? "" : problem);
    page(response, callback, problem == null ? 200 : 400, "subscribers", model);
  }

  private void post(String path, Request request, Response response, Callback callback, Sessions.Session s)
      throws Exception {
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      if (!"/subscribers/import".equals(path)) {
        text(response, callback, 415, "text/plain", "Send this form as a plain form.\n");
        return;
      }
      importCsv(request, response, callback, s, contentType);
      return;
    }
    Fields form = FormFields.from(request).get(config.http().bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    if (!sessions.csrfMatches(s, form.getValue("csrf"))) {
      refuseCsrf(request, response, callback, s, path);
      return;
    }
    if ("/signout".equals(path)) {
      sessions.signOut(s);
      response.getHeaders().add(HttpHeader.SET_COOKIE, cookieHeader(Sessions.COOKIE, "", 0));
      redirect(response, callback, "/signin");
      return;
    }
    if (refusedWhileWaiting(response, callback, s)) {
      return;
    }
    Matcher post = POST_PATH.matcher(path);
    if (post.matches() && "/retry".equals(post.group(2)) && catalogue.get(post.group(1)).isPresent()) {
      // the first mailing unless the form names a second one of the same post
      String mailing = form.getValue("mailing");
      if (mailing == null || mailing.isBlank()) {
        mailing = post.group(1);
      }
      if (!MAILING.matcher(mailing).matches() || !DeliveryRecord.postOf(mailing).equals(post.group(1))) {
        message(response, callback, 400, s, "No such mailing", "That is not a mailing of this post.");
        return;
      }
      int count = reports.retryFailed(mailing);
      log.info("Operator asked from the console to retry the failed deliveries of '{}': {} queued again",
          mailing, count);
      redirect(response, callback, "/posts/" + post.group(1) + "?retried=" + count);
      return;
    }
    message(response, callback, 404, s, "Not found", "There is no such action.");
  }

  private void importCsv(Request request, Response response, Callback callback, Sessions.Session s,
      String contentType) throws Exception {
    if (refusedWhileWaiting(response, callback, s)) {
      return;
    }
    MultiPartConfig limits = new MultiPartConfig.Builder()
        .maxParts(10).maxSize(MAX_UPLOAD_BYTES).maxPartSize(MAX_UPLOAD_BYTES).maxMemoryPartSize(MAX_UPLOAD_BYTES)
        .build();
    MultiPartFormData.Parts parts;
    try {
      parts = MultiPartFormData.from(request, request, contentType, limits)
          .get(config.http().bodyTimeout().toMillis() * 6, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      message(response, callback, 400, s, "The upload did not arrive",
          "The file could not be read (" + (e.getCause() == null ? "too slow" : e.getCause().getMessage())
              + "). Files up to " + MAX_UPLOAD_BYTES / (1024 * 1024) + " MB are taken here; use the CLI for more.");
      return;
    }
    try (parts) {
      MultiPart.Part csrf = parts.getFirst("csrf");
      if (csrf == null || !sessions.csrfMatches(s, csrf.getContentAsString(StandardCharsets.UTF_8))) {
        refuseCsrf(request, response, callback, s, "/subscribers/import");
        return;
      }
      MultiPart.Part file = parts.getFirst("file");
      if (file == null || file.getLength() == 0) {
        subscribersPage(request, response, callback, model(s), "Choose a CSV file to import.");
        return;
      }
      MultiPart.Part confirmedPart = parts.getFirst("confirmed");
      boolean confirmed = confirmedPart != null
          && "yes".equals(confirmedPart.getContentAsString(StandardCharsets.UTF_8));
      String name = file.getFileName() == null || file.getFileName().isBlank() ? "upload.csv"
          : file.getFileName().replaceAll("[^A-Za-z0-9._-]", "_");
      String csv = file.getContentAsString(StandardCharsets.UTF_8);
      Imports.Job job;
      try {
        job = imports.start(sessions.randomId(), name, csv, confirmed);
      } catch (PublisherException e) {
        subscribersPage(request, response, callback, model(s), e.getMessage());
        return;
      }
      redirect(response, callback, "/subscribers/imports/" + job.id);
    }
  }

  /**
   * Refuses an action while a topic is missing: writing to a topic that does not exist would create it
   * on a cluster that creates topics on first use, and topics belong to the services that own them.
   */
  private boolean refusedWhileWaiting(Response response, Callback callback, Sessions.Session s) {
    List<String> missing = missingTopics.get();
    if (missing.isEmpty()) {
      return false;
    }
    message(response, callback, 503, s, "Not yet", "The console is " + waitingWords(missing)
        + ". Start the pipeline's services (they create the topics), then try again.");
    return true;
  }

  /** "waiting for topic x (and y): ..." in an operator's words. */
  static String waitingWords(List<String> missing) {
    return "waiting for topic " + String.join(", topic ", missing)
        + ": it does not exist yet; the console only reads topics and picks it up once the service that"
        + " owns it has created it";
  }

  private void refuseCsrf(Request request, Response response, Callback callback, Sessions.Session s, String path) {
    log.warn("Refused POST {} from {}: the form's CSRF token is missing or wrong", path, client(request));
    message(response, callback, 403, s, "Refused",
        "This form was not sent from a console page of this session. Reload the page and try again.");
  }

  private void signInPage(Request request, Response response, Callback callback, int status, String problem) {
    String pre = cookie(request, Sessions.SIGN_IN_COOKIE);
    if (pre == null || pre.length() > 64) {
      pre = sessions.randomId();
      response.getHeaders().add(HttpHeader.SET_COOKIE, cookieHeader(Sessions.SIGN_IN_COOKIE, pre, 3600));
    }
    Map<String, Object> model = new HashMap<>();
    model.put("title", "Sign in");
    model.put("signedIn", false);
    model.put("csrf", sessions.signInToken(pre));
    model.put("problem", problem == null ? "" : problem);
    model.put("enabled", config.adminToken() != null);
    page(response, callback, status, "signin", model);
  }

  private void signIn(Request request, Response response, Callback callback) throws Exception {
    String client = client(request);
    if (!limiter.allow(client)) {
      log.warn("Refused a sign-in from {}: too many attempts in a minute", client);
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "60");
      signInPage(request, response, callback, 429, "Too many attempts. Wait a minute, then try again.");
      return;
    }
    Fields form = FormFields.from(request).get(config.http().bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    if (!sessions.signInTokenMatches(cookie(request, Sessions.SIGN_IN_COOKIE), form.getValue("csrf"))) {
      log.warn("Refused a sign-in from {}: the form's CSRF token is missing or wrong", client);
      signInPage(request, response, callback, 403, "This form has expired. Try again.");
      return;
    }
    String token = form.getValue("token");
    if (config.adminToken() == null || token == null || !Sessions.same(config.adminToken(), token.strip())) {
      log.warn("Refused a sign-in from {}: wrong admin token", client);
      signInPage(request, response, callback, 401, config.adminToken() == null
          ? "Signing in is switched off: set PRESSLINE_ADMIN_TOKEN." : "That is not the admin token.");
      return;
    }
    log.info("Operator signed in to the console from {}", client);
    response.getHeaders().add(HttpHeader.SET_COOKIE,
        cookieHeader(Sessions.COOKIE, sessions.open(), sessions.ttl().toSeconds()));
    redirect(response, callback, "/");
  }

  private Map<String, Object> model(Sessions.Session s) {
    Map<String, Object> model = new HashMap<>();
    model.put("signedIn", s != null);
    model.put("csrf", s == null ? "" : sessions.csrfToken(s));
    model.put("nav", "");
    return model;
  }

  private void message(Response response, Callback callback, int status, Sessions.Session s, String title,
      String text) {
    Map<String, Object> model = model(s);
    model.put("title", title);
    model.put("text", text);
    page(response, callback, status, "message", model);
  }

  private void page(Response response, Callback callback, int status, String template, Map<String, Object> model) {
    model.putIfAbsent("title", "");
    model.put("waitingFor", missingTopics.get());
    response.getHeaders().put("Content-Security-Policy", PAGE_POLICY);
    text(response, callback, status, "text/html;charset=utf-8", pages.render(template, model));
  }

  private String cookieHeader(String name, String value, long maxAgeSeconds) {
    return name + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
        + (config.secureCookie() ? "; Secure" : "");
  }

  private static String cookie(Request request, String name) {
    for (HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(name)) {
        return c.getValue();
      }
    }
    return null;
  }

  private String client(Request request) {
    return config.http().clients().clientOf(request);
  }

  private static void redirect(Response response, Callback callback, String to) {
    response.setStatus(303);
    response.getHeaders().put(HttpHeader.LOCATION, to);
    callback.succeeded();
  }

  private void resource(Response response, Callback callback, String name, String type) throws IOException {
    try (InputStream in = ConsoleHandler.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException(name + " is missing from the jar"));
      }
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "private, max-age=300");
      text(response, callback, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static void text(Response response, Callback callback, int status, String type, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type.contains("charset") ? type : type + ";charset=utf-8");
    Content.Sink.write(response, true, body, callback);
  }

  @Override
  public void close() {
    events.close();
    imports.close();
  }
}
