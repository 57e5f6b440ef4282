package dev.pressline.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pressline.bench.CommonOptions;
import dev.pressline.bench.run.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Turns JMH's JSON results into the summary lines and one chart per time unit. */
@Command(name = "jmh-report", description = "summary and charts of a JMH JSON result file")
public final class JmhReport implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Option(names = "--json", required = true, description = "the file JMH wrote with -rf json -rff")
  Path json;

  @Override
  public Integer call() throws Exception {
    Workspace ws = common.workspace();
    Report report = new Report("jmh-summary", ws.results(), ws.smoke());
    Map<String, List<String>> names = new LinkedHashMap<>();
    Map<String, List<Double>> scores = new LinkedHashMap<>();
    // JMH leaves a benchmark that threw out of the file, or writes none when it did not run at all
    JsonNode results = Files.isRegularFile(json) ? new ObjectMapper().readTree(json.toFile()) : null;
    if (results == null || !results.isArray() || results.isEmpty()) {
      report.degenerate("JMH", "no benchmark results in " + json);
      report.write();
      return report.exitCode();
    }
    for (JsonNode result : results) {
      String benchmark = result.get("benchmark").asText().replace("dev.pressline.bench.jmh.", "");
      JsonNode params = result.get("params");
      String name = params == null ? benchmark : benchmark + " posts=" + params.path("posts").asText();
      JsonNode metric = result.get("primaryMetric");
      double score = metric.get("score").asDouble();
      double error = metric.get("scoreError").asDouble();
      String unit = metric.get("scoreUnit").asText();
      report.line("%-58s %12.3f ± %.3f %s", name, score, error, unit);
      report.figure(name, Map.of("score", score, "error", Double.isNaN(error) ? 0 : error, "unit", unit));
      if (report.checkPositive(name, score, unit)) {
        names.computeIfAbsent(unit, u -> new ArrayList<>()).add(name);
        scores.computeIfAbsent(unit, u -> new ArrayList<>()).add(score);
      }
    }
    ChartWriter charts = new ChartWriter(ws.results());
    int i = 0;
    for (String unit : names.keySet()) {
      String file = "jmh-" + (++i);
      charts.bars(file, "JMH average time per operation (" + unit + ")", unit, names.get(unit),
          Map.of("time per operation", scores.get(unit)));
      report.line("chart: %s.png (%s)", file, unit);
    }
    report.write();
    return report.exitCode();
  }
}
