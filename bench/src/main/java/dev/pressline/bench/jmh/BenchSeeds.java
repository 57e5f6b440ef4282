package dev.pressline.bench.jmh;

import dev.pressline.bench.content.SamplePosts;
import java.nio.file.Path;

/** Where the JMH benchmarks read the sample posts: {@code -Dpressline.seeds=…}, as the tests do. */
record BenchSeeds(Path folder) {

  static SamplePosts load() {
    String configured = System.getProperty("pressline.seeds");
    return SamplePosts.load(configured == null ? null : Path.of(configured));
  }
}
