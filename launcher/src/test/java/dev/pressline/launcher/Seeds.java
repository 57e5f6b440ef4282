package dev.pressline.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** The editors' sample posts in {@code ../shared/seeds}, read where they are, never copied in. */
final class Seeds {

  private final Path dir;

  Seeds() {
    this.dir = Path.of(System.getProperty("pressline.seeds", "../shared/seeds"));
  }

  List<Path> posts() {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> posts = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
      if (posts.isEmpty()) {
        throw new IllegalStateException("no sample posts in " + dir.toAbsolutePath());
      }
      return posts;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the sample posts in " + dir.toAbsolutePath(), e);
    }
  }

  static String text(Path seed) {
    try {
      return Files.readString(seed, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String firstLine(Path seed) {
    return text(seed).lines().filter(l -> !l.isBlank()).findFirst().orElseThrow().strip();
  }

  /** Drops a file as an editor's tool that saves atomically does: write aside, then rename in. */
  static void drop(Path file, Path inbox) {
    try {
      Path hidden = inbox.resolve("." + file.getFileName() + ".tmp");
      Files.copy(file, hidden, StandardCopyOption.REPLACE_EXISTING);
      Files.move(hidden, inbox.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void drop(String name, byte[] content, Path inbox) {
    try {
      Path hidden = inbox.resolve("." + name + ".tmp");
      Files.write(hidden, content);
      Files.move(hidden, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
