package dev.pressline.outside;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium driven through Debian's chromedriver, sized and coloured on demand. */
final class HeadlessChromium implements AutoCloseable {

  private final ChromeDriver driver;

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts it; a missing {@code chromium} or {@code chromedriver} fails or skips the test as {@link Tools} says. */
  static HeadlessChromium start() {
    String chromium = Tools.require("chromium", "chromium");
    String chromedriver = Tools.require("chromedriver", "chromium-driver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    // root in CI has no user namespace for Chromium's sandbox; the machine reaches no outside host
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run");
    return new HeadlessChromium(
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build(),
            options));
  }

  ChromeDriver driver() {
    return driver;
  }

  /** A screen {@code width} px wide (a phone's below 600) that prefers the {@code scheme} colours. */
  void size(int width, String scheme) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", 900, "deviceScaleFactor", 1, "mobile", width < 600));
    driver.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
