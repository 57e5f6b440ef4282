package dev.pressline.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.support.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a newcomer gets from {@code ./pipeline up}: everything embedded, and kept between runs. */
class EmbeddedPipelineTest {

  @Test
  void runsEverythingEmbeddedShowsTheMailAndKeepsTheFeedAcrossARestart(@TempDir Path data) throws Exception {
    Settings settings = Settings.of(Map.of(
        "PRESSLINE_DATA_DIR", data.toString(),
        "PRESSLINE_KAFKA_PORT", "0",
        "PRESSLINE_SMTP_PORT", "0",
        "PRESSLINE_MAILCATCHER_PORT", "0",
        "PRESSLINE_FEED_PORT", "0",
        "PRESSLINE_PUBLISHER_PORT", "0",
        "PRESSLINE_INGEST_PORT", "0",
        "PRESSLINE_CONSOLE_PORT", "0",
        "PRESSLINE_DEMO_SUBSCRIBERS", "first.reader@example.com"));
    LauncherConfig config = LauncherConfig.from(settings);

    try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(config, settings)) {
      Seeds.drop("hello.md", "# Hello <listeners> & “readers”\n\nFirst words.\n".getBytes(StandardCharsets.UTF_8),
          pipeline.layout().inbox());
      int feedPort = pipeline.services().feed().httpPort();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(Http.get(feedPort, "/feed.xml")).contains("Hello &lt;listeners&gt; &amp; “readers”"));
      int mailPort = pipeline.mailCatcherPort();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(Http.get(mailPort, "/")).contains("first.reader@example.com").contains("Hello &lt;listeners&gt;"));
      String message = Http.get(mailPort, "/messages/1");
      assertThat(message).contains("<iframe sandbox").contains("srcdoc=\"&lt;");
      assertThat(Http.get(mailPort, "/messages/1/text")).contains("First words.");
      // the console runs beside them, behind its sign-in, with a token kept for the next run
      int consolePort = pipeline.console().httpPort();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(Http.get(consolePort, "/health/ready")).startsWith("ready"));
      assertThat(Http.get(consolePort, "/signin")).contains("Admin token");
      assertThat(pipeline.adminToken()).hasSizeGreaterThanOrEqualTo(16);
      assertThat(pipeline.layout().state().resolve("console-admin-token")).content().contains(pipeline.adminToken());
    }

    String firstToken = Files.readString(data.resolve("state").resolve("console-admin-token")).strip();
    try (EmbeddedPipeline again = EmbeddedPipeline.start(config, settings)) {
      assertThat(again.adminToken()).as("the same token as last time").isEqualTo(firstToken);
      int feedPort = again.services().feed().httpPort();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(Http.get(feedPort, "/feed.xml")).contains("“readers”"));
      // the post was mailed in the first run: the second run must not mail it again
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(Http.get(again.mailCatcherPort(), "/")).contains("No mail yet"));
      assertThat(PipelineUnderTest.fileNames(again.layout().processed())).contains("hello.md");
      assertThat(List.of(again.layout().inbox().toFile().list())).doesNotContain("hello.md");
    }
  }
}
