package dev.pressline.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The console refuses whoever has no session, no CSRF token, a forged cookie, or too many guesses. */
@ExtendWith(KafkaBrokerExtension.class)
class ConsoleProtectionTest {

  private static final String TOKEN = "protection-test-admin-token";

  private ConsoleService console;

  @BeforeEach
  void start(KafkaBroker broker, @TempDir Path state) {
    KafkaSettings kafka = broker.freshSettings();
    Map<String, String> s = new HashMap<>();
    s.put("PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    s.put("PRESSLINE_TOPIC_PREFIX", kafka.topics().prefix());
    s.put("PRESSLINE_DELIVERIES_PARTITIONS", String.valueOf(kafka.deliveriesPartitions()));
    s.put("PRESSLINE_STATE_DIR", state.toString());
    s.put("PRESSLINE_ADMIN_TOKEN", TOKEN);
    s.put(ConsoleConfig.PORT, "0");
    s.put(ConsoleConfig.SIGN_IN_ATTEMPTS, "3");
    console = ConsoleService.start(ConsoleConfig.from(Settings.of(s)));
  }

  @AfterEach
  void stop() {
    console.close();
  }

  @Test
  void refusesEveryPageAndActionWithoutASession() throws Exception {
    for (String path : new String[] {"/", "/inbox", "/subscribers", "/subscribers/export", "/status", "/events"}) {
      HttpResponse<String> page = get(path, null);
      assertThat(page.statusCode()).as(path).isEqualTo(303);
      assertThat(page.headers().firstValue("Location")).as(path).hasValue("/signin");
      assertThat(page.body()).as(path).doesNotContain("@");
    }
    assertThat(post("/posts/any/retry", null, "csrf=x").statusCode()).isEqualTo(403);
    assertThat(get("/health/ready", null).statusCode()).as("health needs no session").isIn(200, 503);
  }

  @Test
  void aSessionCookieIsHttpOnlyStrictAndExpiresAndFormsNeedItsCsrfToken() throws Exception {
    SignedIn session = signIn(TOKEN);
    assertThat(session.setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Max-Age=28800")
        .contains("Path=/");
    assertThat(get("/", session.cookie).statusCode()).as("the session works").isEqualTo(200);

    HttpResponse<String> noToken = post("/signout", session.cookie, "");
    assertThat(noToken.statusCode()).as("no CSRF token").isEqualTo(403);
    HttpResponse<String> wrongToken = post("/signout", session.cookie, "csrf=" + session.csrf.replace('A', 'B') + "x");
    assertThat(wrongToken.statusCode()).as("someone else's CSRF token").isEqualTo(403);
    assertThat(get("/", session.cookie).statusCode()).as("still signed in: nothing was done").isEqualTo(200);

    HttpResponse<String> signOut = post("/signout", session.cookie, "csrf=" + session.csrf);
    assertThat(signOut.statusCode()).isEqualTo(303);
    assertThat(get("/", session.cookie).statusCode()).as("a signed-out session is refused").isEqualTo(303);
  }

  @Test
  void refusesAForgedOrAlteredCookie() throws Exception {
    SignedIn session = signIn(TOKEN);
    String value = session.cookie.substring(session.cookie.indexOf('=') + 1);
    String[] parts = value.split("\\.");
    String laterExpiry = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2];
    String otherSignature = parts[0] + "." + parts[1] + "." + "A".repeat(parts[2].length());
    String madeUp = "pressline_console=anything";
    for (String forged : new String[] {"pressline_console=" + laterExpiry, "pressline_console=" + otherSignature,
        madeUp}) {
      HttpResponse<String> page = get("/", forged);
      assertThat(page.statusCode()).as(forged).isEqualTo(303);
      assertThat(page.headers().firstValue("Location")).hasValue("/signin");
    }
  }

  @Test
  void limitsSignInAttemptsPerClient() throws Exception {
    assertThat(signInAttempt("wrong-1").statusCode()).isEqualTo(401);
    assertThat(signInAttempt("wrong-2").statusCode()).isEqualTo(401);
    assertThat(signInAttempt("wrong-3").statusCode()).isEqualTo(401);
    HttpResponse<String> fourth = signInAttempt(TOKEN);
    assertThat(fourth.statusCode()).as("even the right token waits once the limit is reached").isEqualTo(429);
    assertThat(fourth.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("pressline_console="));
  }

  private record SignedIn(String cookie, String setCookie, String csrf) {}

  private SignedIn signIn(String token) throws Exception {
    String setCookie = http().signIn(token);
    String cookie = ConsoleHttp.cookieOf(setCookie);
    return new SignedIn(cookie, setCookie, ConsoleHttp.csrfOf(get("/", cookie).body()));
  }

  private HttpResponse<String> signInAttempt(String token) throws Exception {
    return http().signInAttempt(token);
  }

  private HttpResponse<String> get(String path, String cookie) throws Exception {
    return http().get(path, cookie);
  }

  private HttpResponse<String> post(String path, String cookie, String form) throws Exception {
    return http().post(path, cookie, form);
  }

  private ConsoleHttp http() {
    return new ConsoleHttp(console.localUrl());
  }
}
