package dev.pressline.outside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The archive page, a post page, the mail catcher and one newsletter in headless Chromium, at a
 * phone's width (390 px) and a desktop's (1200 px), light and dark. Screenshots are kept under
 * {@code target/outside-in/screenshots} for a person to look at.
 */
@ExtendWith(LaunchedPipeline.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagesInABrowserTest {

  private static final List<Integer> WIDTHS = List.of(390, 1200);

  private LaunchedPipeline pipeline;
  private HeadlessChromium chromium;
  private ChromeDriver browser;
  private Path screenshots;

  @BeforeAll
  void start(LaunchedPipeline pipeline) throws IOException {
    this.pipeline = pipeline;
    SamplePosts.publish(pipeline);
    chromium = HeadlessChromium.start();
    browser = chromium.driver();
    screenshots = Files.createDirectories(LaunchedPipeline.artefacts().resolve("screenshots"));
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void archiveAndPostPagesFitAPhoneAndFollowTheColourScheme() throws IOException {
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("archive", pipeline.feedBase() + "/");
    pages.put("post", pipeline.feedBase() + "/posts/" + SamplePosts.EPISODE_SLUG);
    for (var page : pages.entrySet()) {
      Map<String, Double> brightness = shootEverySize(page.getKey(), page.getValue());
      for (int width : WIDTHS) {
        assertThat(brightness.get("dark-" + width))
            .as("%s at %d px: the dark scheme is darker than the light one", page.getKey(), width)
            .isLessThan(brightness.get("light-" + width) / 2);
      }
      assertThat(browser.getTitle()).as(page.getKey() + " has a title").isNotBlank();
    }
  }

  @Test
  void aNewsletterAndTheMailCatcherReadWellAtEverySize() throws IOException {
    MailCatcher catcher = new MailCatcher(pipeline);
    MailCatcher.Captured newsletter =
        await("the episode's newsletter in the mail catcher")
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    catcher.all().stream()
                        // the episode's newsletter is shorter than the screen: the page below
                        // the card must follow the scheme too
                        .filter(m -> m.source().contains("List-Unsubscribe-Post"))
                        .filter(m -> SamplePosts.EPISODE_TITLE.equals(m.subject()))
                        .findFirst()
                        .orElse(null),
                m -> m != null);
    shootEverySize("mail-catcher", catcher.base() + "/");
    shootEverySize("mail-catcher-message", catcher.base() + "/messages/" + newsletter.number());

    Path html = LaunchedPipeline.artefacts().resolve("newsletter-" + newsletter.number() + ".html");
    Files.writeString(html, MimeParts.first(newsletter.parse(), "text/html"));
    Map<String, Double> brightness = shootEverySize("newsletter", html.toUri().toString());
    for (int width : WIDTHS) {
      assertThat(brightness.get("dark-" + width))
          .as("the newsletter at %d px follows a dark colour scheme", width)
          .isLessThan(brightness.get("light-" + width) / 2);
    }
  }

  /**
   * Screenshots at each width in both schemes; checks the page never scrolls sideways and returns
   * each screenshot's mean brightness (0–255) per {@code scheme-width}.
   */
  private Map<String, Double> shootEverySize(String name, String url) throws IOException {
    Map<String, Double> brightness = new LinkedHashMap<>();
    for (String scheme : List.of("light", "dark")) {
      for (int width : WIDTHS) {
        chromium.size(width, scheme);
        browser.get(url);
        JavascriptExecutor js = browser;
        Object fits = js.executeScript("return document.documentElement.scrollWidth <= window.innerWidth;");
        assertThat(fits).as("%s at %d px (%s) scrolls sideways", name, width, scheme).isEqualTo(Boolean.TRUE);
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        assertThat(png).as("a PNG screenshot").startsWith(0x89, 'P', 'N', 'G');
        Files.write(screenshots.resolve(name + "-" + width + "-" + scheme + ".png"), png);
        brightness.put(scheme + "-" + width, meanBrightness(png));
      }
    }
    return brightness;
  }

  private static double meanBrightness(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    long sum = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        sum += ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
      }
    }
    return sum / (3.0 * image.getWidth() * image.getHeight());
  }

}
