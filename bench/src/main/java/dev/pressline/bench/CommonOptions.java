package dev.pressline.bench;

import dev.pressline.bench.run.Workspace;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every benchmark takes: where the checkout is, the sample posts, the results, smoke mode. */
public final class CommonOptions {

  @Option(names = "--root", description = "the repository checkout (default: current folder)")
  Path root = Path.of(".");

  @Option(names = "--seeds", description = "folder of sample posts (default: ../shared/seeds beside the checkout)")
  Path seeds;

  @Option(names = "--results", description = "where figures and charts go (default: bench/results, or bench/results/smoke)")
  Path results;

  @Option(names = "--smoke", description = "tiny sizes: proves the benchmark works, measures nothing")
  boolean smoke;

  public Workspace workspace() {
    Path checkout = root.toAbsolutePath().normalize();
    Path seedDir = seeds != null ? seeds : checkout.resolveSibling("shared").resolve("seeds");
    Path resultDir = results != null ? results
        : checkout.resolve("bench").resolve("results").resolve(smoke ? "smoke" : ".").normalize();
    return Workspace.create(checkout, seedDir, resultDir, smoke);
  }
}
