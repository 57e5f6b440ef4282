package dev.pressline.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionTest {

  @Test
  void percentilesAreMeasuredValuesByNearestRank() {
    List<Integer> values = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      values.add(i);
    }
    Distribution d = Distribution.of(values);
    assertThat(d.min()).isEqualTo(1);
    assertThat(d.p50()).isEqualTo(50);
    assertThat(d.p90()).isEqualTo(90);
    assertThat(d.p99()).isEqualTo(99);
    assertThat(d.max()).isEqualTo(100);
  }

  @Test
  void medianOfAnEvenCountIsTheLowerMiddleValue() {
    assertThat(Distribution.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.0);
    assertThat(Distribution.median(List.of(7.5))).isEqualTo(7.5);
  }

  @Test
  void refusesAnEmptySet() {
    assertThatThrownBy(() -> Distribution.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reportKeepsLinesAndTargetVerdicts(@TempDir Path dir) throws Exception {
    Report report = new Report("unit", dir, true);
    report.target("rate", 4_000, "msg/s", ">=", 5_000);
    report.target("latency", 250, "ms", "<=", 300);
    report.write();
    String text = Files.readString(dir.resolve("unit.txt"));
    assertThat(text).contains("rate").contains("MISSED").contains("latency").contains("MET");
    assertThat(Files.readString(dir.resolve("unit.json"))).contains("\"met\" : false").contains("\"met\" : true");
  }
}
