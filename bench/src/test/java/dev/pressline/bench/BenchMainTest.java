package dev.pressline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A driver's exit code, through the command line the bench scripts run (the JMH report needs no tools). */
class BenchMainTest {

  @TempDir Path dir;

  @Test
  void driverExitsZeroWhenEveryFigureIsSound() throws Exception {
    Path json = jmhResults("0.859");

    assertThat(jmhReport(json)).isZero();
    assertThat(Files.readString(dir.resolve("results").resolve("jmh-summary.json"))).contains("\"degenerate\" : [ ]");
  }

  @Test
  void driverExitsNonZeroAfterWritingItsReportWhenAFigureIsDegenerate() throws Exception {
    Path json = jmhResults("\"NaN\"");

    assertThat(jmhReport(json)).isNotZero();
    assertThat(Files.readString(dir.resolve("results").resolve("jmh-summary.txt")))
        .contains("DEGENERATE FeedBuildingBenchmark.feedXml posts=100: the figure is NaN ms/op")
        .contains("FAILED jmh-summary");
  }

  @Test
  void driverExitsNonZeroWhenTheBaselineToolWroteNoResults() {
    assertThat(jmhReport(dir.resolve("missing.json"))).isNotZero();
  }

  @Test
  void driverExitsNonZeroWhenItFails() throws Exception {
    Path json = Files.writeString(dir.resolve("jmh.json"), "[{\"benchmark\": ");

    assertThat(jmhReport(json)).isNotZero();
  }

  private int jmhReport(Path json) {
    return BenchMain.commandLine().execute("jmh-report", "--json", json.toString(), "--smoke",
        "--root", dir.toString(), "--results", dir.resolve("results").toString());
  }

  private Path jmhResults(String score) throws Exception {
    return Files.writeString(dir.resolve("jmh.json"), """
        [ {
          "benchmark" : "dev.pressline.bench.jmh.FeedBuildingBenchmark.feedXml",
          "mode" : "avgt",
          "params" : { "posts" : "100" },
          "primaryMetric" : { "score" : %s, "scoreError" : "NaN", "scoreUnit" : "ms/op" }
        } ]
        """.formatted(score));
  }
}
