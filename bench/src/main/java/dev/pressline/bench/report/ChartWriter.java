package dev.pressline.bench.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the benchmark figures as PNG charts (XChart) into the results folder. */
public final class ChartWriter {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;

  private final Path folder;

  public ChartWriter(Path folder) {
    this.folder = requireNonNull(folder, "folder");
    // charts are drawn on servers without a display
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * Grouped bars: one group per category (e.g. a request path), one bar per series (e.g. Pressline
   * and nginx) in each group.
   */
  public Path bars(String file, String title, String yTitle, List<String> categories,
      Map<String, List<Double>> series) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setDecimalPattern("#,###.##");
    series.forEach((name, values) -> chart.addSeries(name, categories,
        values.stream().map(ChartWriter::drawable).toList()));
    return save(chart, file);
  }

  /** Lines over a shared x axis; a series with a single y value is drawn as a flat reference line. */
  public Path lines(String file, String title, String xTitle, String yTitle, Map<String, double[][]> series,
      boolean logY) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setYAxisLogarithmic(logY);
    series.forEach((name, xy) -> chart.addSeries(name, xy[0],
        Arrays.stream(xy[1]).map(ChartWriter::drawable).toArray()).setMarker(SeriesMarkers.NONE));
    return save(chart, file);
  }

  /** Cumulative distributions of millisecond latencies, one line per series. */
  public Path cdf(String file, String title, Map<String, List<Double>> millis) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("latency (ms)")
        .yAxisTitle("share of posts at or below (%)").build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideSE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
    millis.forEach((name, values) -> {
      double[] x = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] = 100.0 * (i + 1) / x.length;
      }
      chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    });
    return save(chart, file);
  }

  /**
   * A figure that is not a number (the report already failed on it) is drawn as 0: XChart cannot
   * scale an axis to NaN or infinity.
   */
  private static double drawable(double value) {
    return Double.isFinite(value) ? value : 0;
  }

  private Path save(Chart<?, ?> chart, String file) {
    Path target = folder.resolve(file + ".png");
    try {
      BitmapEncoder.saveBitmap(chart, folder.resolve(file).toString(), BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart " + target, e);
    }
    return target;
  }
}
