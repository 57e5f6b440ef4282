package dev.pressline.ingest.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.ingest.IngestMain;
import dev.pressline.ingest.testing.TestMedia;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Year;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {

  @TempDir Path dir;

  private record Run(int exitCode, String output) {}

  private Run check(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new IngestMain());
    cli.setOut(new PrintWriter(out));
    int code = cli.execute(args);
    return new Run(code, out.toString());
  }

  @Test
  void printsWhatWouldBePublishedAndWritesEmailAndPagePreviews() throws Exception {
    // two years ahead: scheduled, and within the ten years a post may be dated ahead
    String later = (Year.now(ZoneOffset.UTC).getValue() + 2) + "-05-01T10:00:00Z";
    Path post = Files.writeString(dir.resolve("ep.md"), """
        ---
        title: Don’t panic
        date: %s
        audio: ep.mp3
        colour: red
        ---
        First paragraph, “quoted”.
        """.formatted(later));
    Path previews = dir.resolve("previews");

    Run run = check("check", "--preview-dir", previews.toString(), post.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.output())
        .contains("Title:        Don’t panic")
        .contains("Slug:         dont-panic")
        .contains("Summary:      First paragraph, “quoted”.")
        .contains(later + " (scheduled)")
        .contains("Audio:        ep.mp3 NOT FOUND beside the post")
        .contains("WARNING: Line 5:");
    assertThat(Files.readString(previews.resolve("dont-panic.email.html"))).contains("<h1>Don’t panic</h1>").contains("“quoted”");
    assertThat(Files.readString(previews.resolve("dont-panic.page.html"))).contains("<article");
  }

  @Test
  void probesTheAudioBesideThePostAndFlagsFakeAudio() throws Exception {
    Path post = Files.writeString(dir.resolve("show.txt"), "Show\n\nNotes.\n");
    Files.write(dir.resolve("show.mp3"), TestMedia.mp3(42));
    Path fake = Files.writeString(dir.resolve("fake.md"), "---\ntitle: Fake\naudio: fake.mp3\n---\nNotes.\n");
    Files.writeString(dir.resolve("fake.mp3"), "not audio ".repeat(100));

    Run good = check("check", "--preview-dir", dir.resolve("p").toString(), post.toString());
    Run bad = check("check", "--preview-dir", dir.resolve("p").toString(), fake.toString());

    assertThat(good.exitCode()).isZero();
    assertThat(good.output()).contains("Audio:        show.mp3, audio/mpeg,").contains(", 42 s");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.output()).contains("ERROR: would be rejected. The audio ‘fake.mp3’ is not a real MP3 file");
  }

  @Test
  void saysWhyAPostWouldBeRejectedAndExitsWithOne() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.md"), "---\ntitle: T\nepisode: x\n---\nBody\n");

    Run run = check("check", "--preview-dir", dir.resolve("p").toString(), bad.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output()).contains("ERROR: would be rejected. Line 3: ‘episode’ must be a whole number");
  }
}
