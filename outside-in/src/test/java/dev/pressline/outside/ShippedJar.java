package dev.pressline.outside;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The runnable jars the build ships, where {@code ./mvnw package} leaves them. */
enum ShippedJar {
  LAUNCHER("launcher"),
  INGEST("ingest-service"),
  PUBLISHER("publisher-service"),
  FEED("feed-service");

  private final String module;

  ShippedJar(String module) {
    this.module = module;
  }

  Path path() {
    Path root = Path.of(System.getProperty("pressline.root", "..")).toAbsolutePath().normalize();
    String version = System.getProperty("pressline.version", "0.1.0-SNAPSHOT");
    Path jar = root.resolve(module).resolve("target").resolve(module + "-" + version + "-all.jar");
    assertThat(Files.isRegularFile(jar))
        .as("the shaded jar %s exists (the reactor packages %s before these tests)", jar, module)
        .isTrue();
    return jar;
  }
}
