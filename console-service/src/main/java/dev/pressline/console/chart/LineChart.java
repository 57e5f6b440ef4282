package dev.pressline.console.chart;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The geometry of a small line chart drawn as SVG on the server: one value per day, scaled into a
 * fixed view box that the browser stretches to the page's width. The template turns it into markup.
 *
 * @param width view box width
 * @param height view box height
 * @param points the polyline's points, "x,y x,y …"
 * @param area the closed shape under the line, for a light fill
 * @param max the value at the top of the scale
 * @param min the value at the bottom
 * @param firstDay the first day on the x axis
 * @param lastDay the last day
 * @param first the first value
 * @param last the last value
 */
public record LineChart(
    int width, int height, String points, String area, int max, int min, LocalDate firstDay, LocalDate lastDay,
    int first, int last) {

  private static final int WIDTH = 600;
  private static final int HEIGHT = 160;
  /** Room kept above and below the line so that it never touches the edge. */
  private static final int PAD = 8;

  /** {@code values} (at least one) for the days ending with {@code lastDay}. */
  public static LineChart of(List<Integer> values, LocalDate lastDay) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a chart needs at least one value");
    }
    int max = values.stream().mapToInt(Integer::intValue).max().orElse(0);
    int min = Math.min(0, values.stream().mapToInt(Integer::intValue).min().orElse(0));
    // a flat or empty series still gets a visible scale
    int top = max == min ? min + 1 : max;
    StringBuilder points = new StringBuilder();
    int n = values.size();
    for (int i = 0; i < n; i++) {
      double x = n == 1 ? WIDTH / 2.0 : (double) i * WIDTH / (n - 1);
      double y = PAD + (HEIGHT - 2.0 * PAD) * (top - values.get(i)) / (top - min);
      if (i > 0) {
        points.append(' ');
      }
      points.append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
    }
    String area = String.format(Locale.ROOT, "0,%d %s %d,%d", HEIGHT, points, WIDTH, HEIGHT);
    return new LineChart(WIDTH, HEIGHT, points.toString(), area, max, min, lastDay.minusDays(n - 1L), lastDay,
        values.get(0), values.get(n - 1));
  }
}
