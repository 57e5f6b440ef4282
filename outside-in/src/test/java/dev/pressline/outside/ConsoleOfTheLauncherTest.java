package dev.pressline.outside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The operator console as {@code ./pipeline up} serves it from the launcher jar: signed in with the
 * token the launcher wrote to {@code state/console-admin-token}, it shows a post dropped in the inbox
 * with its mail (to the launcher's own mail catcher) at 100 %, and a rejected file with its reason.
 * Screenshots at 390 px and 1200 px go to {@code target/outside-in/screenshots/console-launcher-*}.
 */
@ExtendWith(LaunchedPipeline.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleOfTheLauncherTest {

  private static final List<Integer> WIDTHS = List.of(390, 1200);
  private static final String TITLE = "Seen in the console";
  private static final String SLUG = "seen-in-the-console";

  private LaunchedPipeline pipeline;
  private HeadlessChromium chromium;
  private ChromeDriver browser;
  private Path screenshots;

  @BeforeAll
  void start(LaunchedPipeline pipeline) throws IOException {
    this.pipeline = pipeline;
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
  void operatorSignsInWithTheKeptTokenAndSeesAPostSentAndAFileRejected() throws IOException {
    chromium.size(1200, "light");
    browser.get(pipeline.consoleBase() + "/");
    assertThat(browser.getCurrentUrl()).as("no page without signing in").endsWith("/signin");
    browser.findElement(By.id("token")).sendKeys(pipeline.consoleAdminToken());
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    await("the posts page after signing in")
        .atMost(Duration.ofSeconds(10))
        .until(() -> browser.findElement(By.tagName("h1")).getText().equals("Posts"));

    pipeline.drop(SLUG + ".md", ("# " + TITLE + "\n\nA post the operator follows in the console.\n")
        .getBytes(StandardCharsets.UTF_8));
    await("the bar of " + SLUG + " reaches 100 %")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> percentOf(SLUG).equals("100 %"));
    assertThat(browser.findElement(By.cssSelector("li[data-slug='" + SLUG + "'] .sent")).getText())
        .as("the launcher's one demo subscriber").isEqualTo("1 sent");
    assertThat(new MailCatcher(pipeline).all())
        .as("the newsletter reached the launcher's mail catcher")
        .anyMatch(m -> TITLE.equals(m.subject()));
    shootEverySize("console-launcher-posts");

    pipeline.drop("console-blank.md", "\n\n\n".getBytes(StandardCharsets.UTF_8));
    await("the rejected file on the inbox page")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> {
          browser.get(pipeline.consoleBase() + "/inbox?kind=rejected");
          return browser.findElements(By.cssSelector(".outcome.kind-rejected .file")).stream()
              .anyMatch(e -> e.getText().equals("console-blank.md"));
        });
    WebElement rejected = browser.findElements(By.cssSelector(".outcome.kind-rejected")).stream()
        .filter(e -> e.findElement(By.cssSelector(".file")).getText().equals("console-blank.md"))
        .findFirst()
        .orElseThrow();
    assertThat(rejected.findElement(By.cssSelector(".reason")).getText())
        .as("the reason, in the words of its reason file")
        .contains("The file has only blank lines");
    try (Stream<Path> files = Files.list(pipeline.rejected())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("the file itself is in rejected/, as before the console")
          .contains("console-blank.md");
    }
    shootEverySize("console-launcher-inbox");
  }

  private String percentOf(String slug) {
    List<WebElement> found = browser.findElements(By.cssSelector("li[data-slug='" + slug + "'] .percent"));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  /** The current page at each width in the light scheme; it must never scroll sideways. */
  private void shootEverySize(String name) throws IOException {
    for (int width : WIDTHS) {
      chromium.size(width, "light");
      browser.navigate().refresh();
      Object fits = browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth;");
      assertThat(fits).as("%s at %d px scrolls sideways", name, width).isEqualTo(Boolean.TRUE);
      byte[] png = browser.getScreenshotAs(OutputType.BYTES);
      assertThat(png).as("a PNG screenshot").startsWith(0x89, 'P', 'N', 'G');
      Files.write(screenshots.resolve(name + "-" + width + ".png"), png);
    }
  }
}
