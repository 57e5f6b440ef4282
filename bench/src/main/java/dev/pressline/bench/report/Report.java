package dev.pressline.bench.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one benchmark found: the lines it printed and its figures, kept as {@code <name>.txt} and
 * {@code <name>.json} in the results folder together with the machine they were measured on.
 *
 * <p>It also keeps the measurements that cannot be real figures (nothing was measured, the load
 * tool counted errors, mails went missing, a baseline gave no figure): a driver checks every
 * measurement through {@link #degenerate}, {@link #checkPositive}, {@link #checkAll} or
 * {@link #checkNone}, writes its report, and returns {@link #exitCode()}, which is non-zero when any
 * was recorded, so {@code bench/run-all.sh} stops instead of quoting a meaningless figure.
 */
public final class Report {

  private final String name;
  private final Path results;
  private final List<String> lines = new ArrayList<>();
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final Map<String, Object> machine;
  private final List<String> degenerate = new ArrayList<>();

  public Report(String name, Path results, boolean smoke) {
    this.name = requireNonNull(name, "name");
    this.results = requireNonNull(results, "results");
    this.machine = machine(smoke);
    line("== %s%s ==", name, smoke ? " (smoke: tiny sizes, figures mean nothing)" : "");
    line("machine: %s", machine);
  }

  /** Prints a line and keeps it for the text report. */
  public void line(String format, Object... args) {
    String text = String.format(Locale.ROOT, format, args);
    System.out.println(text);
    lines.add(text);
  }

  /** Records a figure under {@code key} for the JSON report. */
  public void figure(String key, Object value) {
    figures.put(key, value);
  }

  /**
   * Records a measurement that is no figure at all, in words: {@code what} names the measurement
   * (case, run and side), {@code why} what was wrong with it. The report is still written, but the
   * benchmark fails.
   */
  public void degenerate(String what, String why) {
    String text = what + ": " + why;
    degenerate.add(text);
    line("  DEGENERATE %s", text);
  }

  /** A rate, a time or a size must be a positive number; zero, negative, NaN or infinite is recorded as degenerate. */
  public boolean checkPositive(String what, double value, String unit) {
    if (value > 0 && Double.isFinite(value)) {
      return true;
    }
    degenerate(what, "the figure is " + value + " " + unit);
    return false;
  }

  /** All {@code expected} things (mails, posts, events) must have been done; fewer is recorded as degenerate. */
  public boolean checkAll(String what, long done, long expected, String things) {
    if (done >= expected) {
      return true;
    }
    degenerate(what, String.format(Locale.ROOT, "only %,d of %,d %s", done, expected, things));
    return false;
  }

  /** Nothing may have gone wrong (failed mails, error answers); any is recorded as degenerate. */
  public boolean checkNone(String what, long count, String things) {
    if (count == 0) {
      return true;
    }
    degenerate(what, String.format(Locale.ROOT, "%,d %s", count, things));
    return false;
  }

  /** The degenerate measurements recorded so far, each as "what: why". */
  public List<String> degenerateMeasurements() {
    return List.copyOf(degenerate);
  }

  /** What the driver returns: 0 when every measurement was sound, 1 when any was degenerate. */
  public int exitCode() {
    return degenerate.isEmpty() ? 0 : 1;
  }

  /**
   * A target check in words: the figure, the target and whether it was met. A figure that is not a
   * number (a ratio against a baseline that measured nothing) is recorded as degenerate as well.
   */
  public void target(String what, double value, String unit, String comparison, double target) {
    if (!Double.isFinite(value)) {
      degenerate(what, "the figure is " + value);
    }
    boolean met = comparison.equals(">=") ? value >= target : value <= target;
    line("  %-52s %12s %-6s target %s %s  -> %s", what, format(value), unit, comparison, format(target),
        met ? "MET" : "MISSED");
    figure("target." + what, Map.of("value", value, "target", target, "comparison", comparison, "met", met));
  }

  public static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e12) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.3f", value);
  }

  public Path results() {
    return results;
  }

  /**
   * Writes {@code <name>.txt} and {@code <name>.json}; when a measurement was degenerate, ends both
   * with the list of them and says so on standard error.
   */
  public void write() {
    if (!degenerate.isEmpty()) {
      line("FAILED %s: %d degenerate measurement%s:", name, degenerate.size(), degenerate.size() == 1 ? "" : "s");
      degenerate.forEach(d -> line("  - %s", d));
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("benchmark", name);
    document.put("machine", machine);
    document.put("figures", figures);
    document.put("degenerate", degenerate);
    try {
      Files.createDirectories(results);
      Files.write(results.resolve(name + ".txt"), lines);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(results.resolve(name + ".json").toFile(), document);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the results of " + name + " to " + results, e);
    }
    System.out.println("results: " + results.resolve(name + ".txt"));
    if (!degenerate.isEmpty()) {
      System.err.printf(Locale.ROOT, "%s FAILED: %s%n", name, String.join("; ", degenerate));
    }
  }

  private static Map<String, Object> machine(boolean smoke) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", Instant.now().toString());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memoryMiB", memoryMiB());
    m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    // the machines are shared: the load when the run began says how much the figures can be trusted
    m.put("loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    m.put("smoke", smoke);
    return m;
  }

  private static long memoryMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return -1;
  }
}
