package dev.pressline.bench.run;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where one benchmark run finds the service jars and the sample posts, and where it writes its
 * scratch files (logs, inboxes, broker data) and its results (JSON, Markdown, PNG charts).
 *
 * @param root the repository checkout (holds {@code ingest-service/target/...-all.jar} and so on)
 * @param seeds folder of the editors' sample posts, or null to generate text
 * @param results folder for figures and charts
 * @param scratch folder for this run's temporary files
 * @param smoke whether this is a tiny-size run that only proves the benchmark still works
 */
public record Workspace(Path root, Path seeds, Path results, Path scratch, boolean smoke) {

  public Workspace {
    requireNonNull(root, "root");
    requireNonNull(results, "results");
    requireNonNull(scratch, "scratch");
  }

  /** Makes the folders of a run; the scratch folder is new each time so runs never see each other's files. */
  public static Workspace create(Path root, Path seeds, Path results, boolean smoke) {
    try {
      Files.createDirectories(results);
      Path scratchBase = root.resolve("bench").resolve("target").resolve("runs");
      Files.createDirectories(scratchBase);
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path scratch = Files.createTempDirectory(scratchBase, stamp + "-");
      Path usableSeeds = seeds != null && Files.isDirectory(seeds) ? seeds : null;
      return new Workspace(root, usableSeeds, results, scratch, smoke);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the benchmark folders under " + root, e);
    }
  }

  /** The shaded jar of {@code module}, which the bench scripts build when it is missing. */
  public Path serviceJar(String module) {
    Path jar = root.resolve(module).resolve("target").resolve(module + "-0.1.0-SNAPSHOT-all.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("missing " + jar + ": run ./mvnw -q package -DskipTests -pl " + module);
    }
    return jar;
  }

  /** A new folder inside this run's scratch folder. */
  public Path scratchDir(String name) {
    try {
      return Files.createDirectories(scratch.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + scratch.resolve(name), e);
    }
  }
}
