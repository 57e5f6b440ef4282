package dev.pressline.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.console.time.ReadableTime;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * An operator at the console in Debian's headless Chromium (driven through Debian's chromedriver;
 * nothing downloads a browser), with ingest, publisher and feed running against the test broker and
 * GreenMail. Screenshots at 390 px and 1200 px, light and dark, go to {@code target/screenshots/}.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleInABrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final List<Integer> WIDTHS = List.of(390, 1200);
  private static final int READERS = 30;
  /** How every console page writes a time: "5 Dec 2026 04:48:13 UTC". */
  private static final String READABLE = "\\d{1,2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} UTC";
  /** An instant as Java prints it ("2026-12-05T04:48:13.357865752Z"), which no page may show as text. */
  private static final String RAW_INSTANT = "T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";

  private Path root;
  private RunningPipeline pipeline;
  private ChromeDriver browser;

  @BeforeAll
  void start(KafkaBroker broker, @TempDir Path root) throws Exception {
    this.root = root;
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String reason = "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)";
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(reason + "; CI installs them, so this is a failure, not a skip");
    }
    Assumptions.assumeTrue(present, reason);
    pipeline = new RunningPipeline(broker.freshSettings(), root);
    for (int i = 0; i < READERS; i++) {
      pipeline.publisher.addConfirmedSubscriber("reader" + i + "@example.com", "test");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    // root in CI has no user namespace for Chromium's sandbox; the machine reaches no outside host
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");
    browser = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build(), options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void operatorWatchesMailGoOutRetriesTheFailedImportsAndFindsARejectedFile() throws Exception {
    size(1200, "light");
    browser.get(pipeline.base() + "/");
    assertThat(browser.getCurrentUrl()).as("no page without signing in").endsWith("/signin");
    browser.findElement(By.id("token")).sendKeys(RunningPipeline.ADMIN_TOKEN);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.tagName("h1")).getText().equals("Posts"));

    // the page stays put: the new post and its bar arrive over server-sent events
    js("window.consoleStayed = 'yes';");
    pipeline.drop("first-news.md", "# First news\n\nThe first letter of the season.\n");
    await("the bar of first-news reaches 100 % without a reload").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> percentOf("first-news").equals("100 %"));
    assertThat(js("return window.consoleStayed;")).as("the page was not reloaded").isEqualTo("yes");
    assertThat(browser.findElement(By.cssSelector("li[data-slug='first-news'] .sent")).getText())
        .isEqualTo(READERS + " sent");
    await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.smtp.getReceivedMessages().length == READERS);
    shootEverySize("posts", null);

    // the mail server goes away: the next post fails, and "retry only the failed" sends it once it is back
    pipeline.stopSmtp();
    pipeline.drop("second-news.md", "# Second news\n\nSent while the mail server was away.\n");
    await("every delivery of second-news failed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          browser.get(pipeline.base() + "/posts/second-news");
          return textOf("count-failed").equals(String.valueOf(READERS));
        });
    List<WebElement> failures = browser.findElements(By.cssSelector(".failed-list li"));
    assertThat(failures).hasSize(READERS);
    assertThat(failures.get(0).getText()).as("each failure with the server's reply")
        .matches("reader\\d+@example\\.com: .{5,}");
    shootEverySize("post-failed", null);
    pipeline.restartSmtp();
    browser.findElement(By.id("retry")).click();
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().contains("retried=" + READERS));
    assertThat(browser.findElement(By.cssSelector(".notice")).getText())
        .isEqualTo("Queued " + READERS + " failed deliveries again.");
    await("the retried deliveries are sent").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          browser.get(pipeline.base() + "/posts/second-news");
          return textOf("count-sent").equals(String.valueOf(READERS)) && textOf("count-failed").equals("0");
        });
    assertThat(pipeline.smtp.getReceivedMessages()).as("the restarted server got each retried mail once")
        .hasSize(READERS);

    // an update that asks to be sent again: its second mailing shows beside the first on the post's page
    pipeline.drop("first-news-corrected.md",
        "---\ntitle: First news\nslug: first-news\nresend: true\n---\nThe first letter of the season, corrected.\n");
    await("the second mailing of first-news is sent").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          browser.get(pipeline.base() + "/posts/first-news");
          return textOf("count-sent-r2").equals(String.valueOf(READERS));
        });
    assertThat(browser.findElements(By.cssSelector(".mailing .mailing-label"))).extracting(WebElement::getText)
        .satisfiesExactly(
            first -> assertThat(first).isEqualTo("First sending"),
            second -> assertThat(second)
                .matches("Resent on " + READABLE + " after an update \\(revision 2\\) first-news@r2"));
    assertThat(textOf("count-sent")).as("the first sending keeps its own figures").isEqualTo(String.valueOf(READERS));
    assertThat(textOf("count-failed-r2")).isEqualTo("0");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> pipeline.smtp.getReceivedMessages().length == 2 * READERS);
    shootEverySize("post-resent", null);
    // a retry names its mailing: a mailing of another post is refused, the second one of this post taken
    String cookie = "pressline_console=" + browser.manage().getCookieNamed("pressline_console").getValue();
    String csrf = browser.findElement(By.name("csrf")).getAttribute("value");
    assertThat(retry(cookie, csrf, "first-news", "second-news").statusCode()).isEqualTo(400);
    HttpResponse<Void> resendRetry = retry(cookie, csrf, "first-news", "first-news@r2");
    assertThat(resendRetry.statusCode()).isEqualTo(303);
    assertThat(resendRetry.headers().firstValue("Location")).as("nothing of it failed")
        .hasValue("/posts/first-news?retried=0");
    browser.get(pipeline.base() + "/");
    assertThat(browser.findElement(By.cssSelector("li[data-slug='first-news'] .latest-mailing")).getText())
        .as("the list shows the latest mailing").startsWith("Resent on ").endsWith("after an update (revision 2)");
    assertThat(percentOf("first-news")).isEqualTo("100 %");

    // import a CSV: progress, then the CLI's summary
    Path csv = root.resolve("new-readers.csv");
    Files.writeString(csv, "email,name\nnew1@example.com,One\nNew2@Example.com,Two\nnot-an-address,Three\n");
    browser.get(pipeline.base() + "/subscribers");
    browser.findElement(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
    browser.findElement(By.cssSelector("form[action='/subscribers/import'] button")).click();
    await("the import's summary").atMost(Duration.ofSeconds(30))
        .until(() -> !browser.findElements(By.id("import-summary")).isEmpty());
    assertThat(textOf("import-summary")).isEqualTo(
        "Imported 2 subscriber(s) as pending (no mail is sent to them until they confirm); skipped 1 row(s).");
    assertThat(browser.findElement(By.tagName("main")).getText())
        .contains("skipped line 4: 'not-an-address' is not a valid address");
    assertThat(browser.findElement(By.id("import-progress")).getAttribute("value")).isEqualTo("100");
    shootEverySize("import", null);
    await("the imported address on the list").atMost(Duration.ofSeconds(20)).until(() -> {
      browser.get(pipeline.base() + "/subscribers?email=new1%40example.com");
      return browser.findElements(By.id("lookup-result")).stream()
          .anyMatch(e -> e.getText().equals("new1@example.com is pending."));
    });
    assertThat(browser.findElements(By.cssSelector(".history time"))).as("each change with its time").isNotEmpty()
        .allSatisfy(t -> assertReadableTime(t));
    assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContainPattern(RAW_INSTANT);
    assertThat(textOf("count-confirmed")).isEqualTo(String.valueOf(READERS));
    assertThat(textOf("count-pending")).isEqualTo("2");
    shootEverySize("subscribers", null);

    // a rejected file, with the reason in the words of its reason file
    pipeline.drop("broken.md", "\n\n\n");
    await("the rejected file in the inbox view").atMost(Duration.ofSeconds(30)).until(() -> {
      browser.get(pipeline.base() + "/inbox?kind=rejected");
      return browser.findElements(By.cssSelector(".outcome .file")).stream()
          .anyMatch(e -> e.getText().equals("broken.md"));
    });
    assertThat(browser.findElement(By.cssSelector(".outcome.kind-rejected .reason")).getText())
        .contains("The file has only blank lines");
    // every time on the inbox page in the one readable form, the exact instant kept for machines
    browser.get(pipeline.base() + "/inbox");
    List<WebElement> times = browser.findElements(By.cssSelector(".outcome .when time"));
    assertThat(times).as("one time per file").hasSizeGreaterThanOrEqualTo(4).allSatisfy(t -> assertReadableTime(t));
    assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContainPattern(RAW_INSTANT);
    shootEverySize("inbox", null);

    // the health page: each service's answers in words, the feed's lag, and a service that is not there
    await("the feed has committed its position to the end of posts").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          browser.get(pipeline.base() + "/status");
          List<WebElement> lag = browser.findElements(By.cssSelector("li[data-reader='feed console-test'] .lag"));
          return !lag.isEmpty() && lag.get(0).getText().equals("0 record(s) behind");
        });
    assertThat(browser.findElements(By.cssSelector(".service.ok h3")))
        .extracting(WebElement::getText).containsExactlyInAnyOrder("feed", "ingest", "publisher");
    String health = browser.findElement(By.tagName("main")).getText();
    assertThat(health).as("answers in words, not JSON").contains("mailers on").doesNotContain("{", "}", "\"status\"");
    assertThat(check("publisher", "fan-out")).isEqualTo("running");
    assertThat(check("publisher", "mailer")).isEqualTo("running");
    assertThat(check("publisher", "confirmed subscribers")).isEqualTo(String.valueOf(READERS));
    assertThat(check("publisher", "readiness")).isEqualTo("ready");
    assertThat(check("ingest", "readiness")).startsWith("ready: ").endsWith("in the catalogue");
    assertThat(check("feed", "liveness")).isEqualTo("alive");
    assertThat(check("ingest", "liveness")).as("the same reason is not said twice").isEqualTo("alive");
    assertThat(browser.findElement(By.cssSelector(".service.bad[data-service='gone'] .unreachable")).getText())
        .isEqualTo("not reachable at " + pipeline.goneUrl + ": connection refused");
    assertThat(browser.findElement(By.cssSelector(".service[data-service='publisher'] .when")).getText())
        .startsWith("reached just now, at ");
    assertReadableTime(browser.findElement(By.cssSelector(".service[data-service='publisher'] .when time")));
    assertThat(health).doesNotContainPattern(RAW_INSTANT);
    shootEverySize("health", null);
    shootEverySize("post-sent", "/posts/second-news");
    shootEverySize("posts-all-sent", "/");
    assertThat(browser.findElements(By.cssSelector(".posts .percent"))).extracting(WebElement::getText)
        .containsExactly("100 %", "100 %");
  }

  /** A {@code <time>} that reads "5 Dec 2026 04:48:13 UTC" and carries the same instant, exactly, for machines. */
  private static void assertReadableTime(WebElement time) {
    assertThat(time.getText()).matches(READABLE);
    Instant exact = Instant.parse(time.getAttribute("datetime"));
    assertThat(time.getText()).isEqualTo(ReadableTime.of(exact));
  }

  private String percentOf(String slug) {
    List<WebElement> found = browser.findElements(By.cssSelector("li[data-slug='" + slug + "'] .percent"));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  private HttpResponse<Void> retry(String cookie, String csrf, String slug, String mailing) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(pipeline.base() + "/posts/" + slug + "/retry"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", cookie)
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8)
            + "&mailing=" + URLEncoder.encode(mailing, StandardCharsets.UTF_8)))
        .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
  }

  /** What the Health page says of one check of one service. */
  private String check(String service, String name) {
    return browser.findElement(By.xpath("//li[@data-service='" + service + "']//dt[.='" + name
        + "']/following-sibling::dd[1]")).getText();
  }

  private String textOf(String id) {
    List<WebElement> found = browser.findElements(By.id(id));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  private Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private void size(int width, String scheme) {
    browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", 900, "deviceScaleFactor", 1, "mobile", width < 600));
    browser.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  /** The page (this one when {@code path} is null) at each width in both schemes; never wider than the screen. */
  private void shootEverySize(String name, String path) throws IOException {
    String url = path == null ? browser.getCurrentUrl() : pipeline.base() + path;
    for (String scheme : List.of("light", "dark")) {
      for (int width : WIDTHS) {
        size(width, scheme);
        browser.get(url);
        assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth;"))
            .as("%s at %d px (%s) scrolls sideways", name, width, scheme).isEqualTo(Boolean.TRUE);
        Files.write(SCREENSHOTS.resolve("console-" + name + "-" + width + "-" + scheme + ".png"),
            browser.getScreenshotAs(OutputType.BYTES));
      }
    }
    size(1200, "light");
    browser.get(url);
  }
}
