package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.pressline.events.MediaRef;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The pages in a real browser: Debian's headless Chromium driven by Selenium through Debian's
 * chromedriver (nothing downloads a browser). Screenshots at phone and desktop widths go to {@code
 * target/screenshots/}. Skipped, with the reason, where chromium is not installed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BrowserTest {

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir Path dir;

  @Test
  void readerBrowsesOnPhoneAndDesktopAndSubscribes(KafkaBroker broker) throws Exception {
    ExternalTool.assumePresent(
        ExternalTool.installed(CHROMIUM) && ExternalTool.installed(CHROMEDRIVER),
        "Debian's chromium and chromium-driver are not installed (apt-get install chromium"
            + " chromium-driver); browser test skipped");
    List<String> subscriptions = new CopyOnWriteArrayList<>();
    HttpServer publisher = standInPublisher(subscriptions);
    int port = freePort();
    String site = "http://127.0.0.1:" + port;
    KafkaSettings kafka = broker.freshSettings();
    Path media = Files.createDirectories(dir.resolve("media"));
    Files.write(media.resolve("f1.mp3"), new byte[2048]);
    FeedConfig config =
        FeedConfig.from(
            RunningFeed.settings(
                kafka,
                media,
                Map.of(
                    FeedConfig.PORT,
                    Integer.toString(port),
                    FeedConfig.PUBLIC_BASE_URL,
                    site,
                    FeedConfig.PUBLISHER_BASE_URL,
                    "http://127.0.0.1:" + publisher.getAddress().getPort())));
    Files.createDirectories(SCREENSHOTS);
    Instant now = Instant.now();
    List<String> titles = Posts.seedTitles();
    WebDriver browser = null;
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      for (int i = 0; i < titles.size(); i++) {
        posts.send(Posts.post("seed-" + i, titles.get(i), now.minusSeconds(3600 - i)));
      }
      posts.send(
          Posts.episode(
              "episode-one",
              "Episode one: “Listening” – together",
              now.minusSeconds(60),
              new MediaRef("f1.mp3", "audio/mpeg", 2048, 1500L)));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> new RunningFeed().get(feed, "/").body().contains("episode-one"));

      browser = chromium();
      for (Dimension size : List.of(new Dimension(390, 844), new Dimension(1280, 900))) {
        String width = size.getWidth() < 600 ? "phone" : "desktop";
        browser.manage().window().setSize(size);
        browser.get(site + "/");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Heart Matters");
        assertThat(browser.findElements(By.cssSelector(".posts li"))).hasSize(6);
        assertThat(fitsWidth(browser)).as("index has no sideways scrolling on " + width).isTrue();
        screenshot(browser, "index-" + width + ".png");

        browser.findElement(By.linkText("Episode one: “Listening” – together")).click();
        await().atMost(Duration.ofSeconds(10)).until(browserAt(browser, "/posts/episode-one"));
        WebElement audio = browser.findElement(By.tagName("audio"));
        assertThat(audio.getAttribute("src")).isEqualTo(site + "/media/f1/episode-one.mp3");
        assertThat(audio.isDisplayed()).isTrue();
        assertThat(audio.getSize().getHeight())
            .as("the player's controls take room on the page")
            .isGreaterThan(20);
        assertThat(browser.getTitle()).startsWith("Episode one: “Listening” – together");
        assertThat(fitsWidth(browser))
            .as("post page has no sideways scrolling on " + width)
            .isTrue();
        screenshot(browser, "post-" + width + ".png");

        browser.get(site + "/posts/seed-0");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(titles.get(0));
        screenshot(browser, "seed-post-" + width + ".png");
      }

      browser.manage().window().setSize(new Dimension(390, 844));
      browser.get(site + "/");
      WebElement email = browser.findElement(By.id("subscribe-email"));
      assertThat(browser.findElement(By.cssSelector("label[for=subscribe-email]")).getText())
          .isEqualTo("Email address");
      email.sendKeys("reader@example.org");
      screenshot(browser, "subscribe-phone.png");
      browser.findElement(By.cssSelector("form.subscribe button[type=submit]")).click();

      WebDriver b = browser;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> b.getPageSource().contains("Check your inbox"));
      assertThat(subscriptions).containsExactly("email=reader@example.org");
      assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Check your inbox");
      screenshot(browser, "subscribed-phone.png");
    } finally {
      if (browser != null) {
        browser.quit();
      }
      publisher.stop(0);
    }
  }

  private static WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    // root in CI containers has no user namespace for Chromium's sandbox
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static boolean fitsWidth(WebDriver browser) {
    Object fits =
        ((JavascriptExecutor) browser)
            .executeScript("return document.documentElement.scrollWidth <= window.innerWidth;");
    return Boolean.TRUE.equals(fits);
  }

  private static java.util.concurrent.Callable<Boolean> browserAt(WebDriver browser, String path) {
    return () -> browser.getCurrentUrl().endsWith(path);
  }

  private static void screenshot(WebDriver browser, String name) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Stands in for publisher-service's subscribe endpoint: records the form and answers as it does.
   */
  private static HttpServer standInPublisher(List<String> subscriptions) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/subscribe",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if ("POST".equals(exchange.getRequestMethod())) {
            subscriptions.add(URLDecoder.decode(body, StandardCharsets.UTF_8));
          }
          byte[] page =
              ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Check your"
                   + " inbox</title></head><body><h1>Check your inbox</h1><p>We sent you a link to"
                   + " confirm.</p></body></html>")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, page.length);
          exchange.getResponseBody().write(page);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
