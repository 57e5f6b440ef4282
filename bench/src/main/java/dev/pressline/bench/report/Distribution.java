package dev.pressline.bench.report;

import java.util.Arrays;
import java.util.Collection;

/**
 * Order statistics of a set of measurements (nearest-rank percentiles: every figure quoted is a
 * value that was actually measured, never an interpolation).
 */
public record Distribution(int count, double min, double p50, double p90, double p99, double max, double mean) {

  public static Distribution of(Collection<? extends Number> values) {
    double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no measurements");
    }
    return new Distribution(sorted.length, sorted[0], rank(sorted, 50), rank(sorted, 90), rank(sorted, 99),
        sorted[sorted.length - 1], Arrays.stream(sorted).average().orElseThrow());
  }

  /** The median of a few repeated runs; with an even count the lower middle value, so it was measured. */
  public static double median(Collection<? extends Number> values) {
    return of(values).p50();
  }

  static double rank(double[] sorted, double percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
