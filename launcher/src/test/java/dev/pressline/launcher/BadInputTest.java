package dev.pressline.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.launcher.pipeline.RunningServices;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class BadInputTest {

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @Test
  void emptyBinaryAndUntitledFilesAreRejectedWithAReasonAndTheServicesKeepRunning(
      KafkaBroker broker, @TempDir Path data) throws Exception {
    PipelineUnderTest pipeline = new PipelineUnderTest(data, broker.freshSettings(), smtp.getSmtp().getPort());
    byte[] binary = new byte[4096];
    new Random(7).nextBytes(binary);
    binary[10] = 0;

    try (RunningServices services = pipeline.start()) {
      services.publisher().addConfirmedSubscriber("reader@example.org", "test");
      Path inbox = pipeline.layout.inbox();
      Seeds.drop("empty.txt", new byte[0], inbox);
      Seeds.drop("binary.txt", binary, inbox);
      Seeds.drop("untitled.md", "---\nauthor: Someone\n---\n\n".getBytes(StandardCharsets.UTF_8), inbox);
      Seeds.drop("fine.md", "# A fine post\n\nIt has a title and a body.\n".getBytes(StandardCharsets.UTF_8), inbox);

      Path rejected = pipeline.layout.rejected();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(PipelineUnderTest.fileNames(rejected)).contains("empty.txt", "binary.txt", "untitled.md"));
      for (String name : List.of("empty.txt", "binary.txt", "untitled.md")) {
        String reason = reasonFor(rejected, name);
        assertThat(reason).as("reason for " + name).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
      }
      assertThat(reasonFor(rejected, "empty.txt")).containsIgnoringCase("empty");
      assertThat(reasonFor(rejected, "binary.txt")).containsAnyOf("binary", "not text", "NUL", "text file");
      assertThat(reasonFor(rejected, "untitled.md")).containsIgnoringCase("title");

      // the good file after the bad ones still goes all the way through
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(PipelineUnderTest.fileNames(pipeline.layout.processed())).contains("fine.md"));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(pipeline.get(services.feed().httpPort(), "/feed.xml")).contains("A fine post"));
      await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length == 1);
      assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("A fine post");
      assertThat(PipelineUnderTest.fileNames(inbox)).doesNotContain("empty.txt", "binary.txt", "untitled.md", "fine.md");
    }
  }

  /** The reason file beside a rejected file: any file in rejected/ whose name starts with it and says "reason". */
  private static String reasonFor(Path rejected, String name) throws Exception {
    Path reason = PipelineUnderTest.fileNames(rejected).stream()
        .filter(f -> f.startsWith(name) && f.contains("reason"))
        .map(rejected::resolve)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no reason file for " + name + " in " + PipelineUnderTest.fileNames(rejected)));
    return Files.readString(reason, StandardCharsets.UTF_8);
  }
}
