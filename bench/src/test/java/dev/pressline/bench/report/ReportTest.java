package dev.pressline.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  @TempDir Path dir;

  @Test
  void soundFiguresLeaveTheExitCodeZero() {
    Report report = new Report("unit", dir, true);

    assertThat(report.checkPositive("rate", 1_283, "msg/s")).isTrue();
    assertThat(report.checkAll("mails", 300, 300, "mails accepted")).isTrue();
    assertThat(report.checkNone("mails", 0, "mails failed")).isTrue();
    report.target("ratio", 0.19, "x", ">=", 0.45);

    assertThat(report.degenerateMeasurements()).isEmpty();
    assertThat(report.exitCode()).isZero();
  }

  @Test
  void zeroNegativeNanAndInfiniteFiguresAreDegenerate() {
    Report report = new Report("unit", dir, true);

    assertThat(report.checkPositive("zero", 0, "req/s")).isFalse();
    assertThat(report.checkPositive("negative", -1, "ms")).isFalse();
    assertThat(report.checkPositive("nan", Double.NaN, "req/s")).isFalse();
    assertThat(report.checkPositive("infinite", Double.POSITIVE_INFINITY, "msg/s")).isFalse();

    assertThat(report.degenerateMeasurements()).containsExactly("zero: the figure is 0.0 req/s",
        "negative: the figure is -1.0 ms", "nan: the figure is NaN req/s", "infinite: the figure is Infinity msg/s");
    assertThat(report.exitCode()).isNotZero();
  }

  @Test
  void fewerMailsThanSentAndFailedMailsAreDegenerate() {
    Report report = new Report("unit", dir, true);

    assertThat(report.checkAll("run 1 nodemailer", 299, 300, "messages sent")).isFalse();
    assertThat(report.checkNone("run 1 pressline", 2, "mails failed or bounced")).isFalse();

    assertThat(report.degenerateMeasurements()).containsExactly("run 1 nodemailer: only 299 of 300 messages sent",
        "run 1 pressline: 2 mails failed or bounced");
    assertThat(report.exitCode()).isNotZero();
  }

  @Test
  void aTargetOnARatioAgainstNothingIsDegenerate() {
    Report report = new Report("unit", dir, true);

    report.target("feed 304 / nginx", 5_000 / 0.0, "x", ">=", 0.8);

    assertThat(report.degenerateMeasurements()).containsExactly("feed 304 / nginx: the figure is Infinity");
    assertThat(report.exitCode()).isNotZero();
  }

  @Test
  void writtenReportNamesTheBenchmarkAndWhatWasDegenerate() throws Exception {
    Report report = new Report("feed-serving", dir, true);
    report.degenerate("304 If-None-Match, run 1, pressline", "wrk counted 0 requests");

    report.write();

    assertThat(Files.readString(dir.resolve("feed-serving.txt")))
        .contains("DEGENERATE 304 If-None-Match, run 1, pressline: wrk counted 0 requests")
        .contains("FAILED feed-serving: 1 degenerate measurement:");
    assertThat(Files.readString(dir.resolve("feed-serving.json")))
        .contains("\"degenerate\" : [ \"304 If-None-Match, run 1, pressline: wrk counted 0 requests\" ]");
  }
}
