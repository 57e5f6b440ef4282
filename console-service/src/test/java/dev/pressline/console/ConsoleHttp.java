package dev.pressline.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The console's pages over plain HTTP, as a browser without script sees them: cookies and forms by hand. */
final class ConsoleHttp {

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String baseUrl;

  ConsoleHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String cookie, String form) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Fills in the sign-in form with {@code token}, as a person would; the answer as it comes. */
  HttpResponse<String> signInAttempt(String token) throws Exception {
    HttpResponse<String> form = get("/signin", null);
    String pre = setCookie(form, "pressline_console_signin");
    return post("/signin", pre.substring(0, pre.indexOf(';')), "csrf=" + csrfOf(form.body()) + "&token=" + token);
  }

  /** The {@code Set-Cookie} value of the session cookie a successful sign-in gives. */
  String signIn(String token) throws Exception {
    HttpResponse<String> signedIn = signInAttempt(token);
    assertThat(signedIn.statusCode()).isEqualTo(303);
    return setCookie(signedIn, "pressline_console");
  }

  /** The cookie as a {@code Cookie} header sends it back: name and value only. */
  static String cookieOf(String setCookie) {
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  static String csrfOf(String html) {
    Matcher csrf = CSRF.matcher(html);
    assertThat(csrf.find()).as("the page's forms carry a CSRF token").isTrue();
    return csrf.group(1);
  }

  private static String setCookie(HttpResponse<String> response, String name) {
    return response.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "=")).findFirst().orElseThrow();
  }
}
