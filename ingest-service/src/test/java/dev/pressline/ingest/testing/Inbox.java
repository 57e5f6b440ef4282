package dev.pressline.ingest.testing;

import dev.pressline.ingest.IngestConfig.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** Drops files into a test inbox the way a careful tool does: written aside, then renamed in. */
public record Inbox(Folders folders) {

  public Path drop(String name, byte[] bytes) {
    try {
      Path tmp = folders.inbox().resolve(name + ".part");
      Files.write(tmp, bytes);
      return Files.move(tmp, folders.inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path drop(String name, String text) {
    return drop(name, text.getBytes(StandardCharsets.UTF_8));
  }

  public Path dropCopy(Path source) {
    try {
      return drop(source.getFileName().toString(), Files.readAllBytes(source));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<String> inbox() {
    return names(folders.inbox());
  }

  public List<String> processed() {
    return names(folders.processed());
  }

  public List<String> rejected() {
    return names(folders.rejected());
  }

  public String read(Path dir, String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> names(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
