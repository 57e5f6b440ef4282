package dev.pressline.ingest.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKindTest {

  @TempDir Path dir;

  @Test
  void tellsRegularFilesFromFoldersPipesAndDevicesWithoutOpeningThem() throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();

    assertThat(FileKind.of(Files.writeString(dir.resolve("post.md"), "# Post\n"))).isEqualTo(FileKind.REGULAR);
    assertThat(FileKind.of(Files.createDirectory(dir.resolve("folder.md")))).isEqualTo(FileKind.FOLDER);
    assertThat(FileKind.of(dir.resolve("pipe"))).isEqualTo(FileKind.NAMED_PIPE);
    // a real device node needs root to create; /dev/null is one on every Linux machine
    assertThat(FileKind.of(Path.of("/dev/null"))).isEqualTo(FileKind.DEVICE);
    assertThat(FileKind.of(Files.createSymbolicLink(dir.resolve("link.md"), Path.of("/dev/null"))))
        .as("a link is judged by what it points to").isEqualTo(FileKind.DEVICE);
    assertThat(FileKind.DEVICE.reason()).contains("a device file", "never opened");
  }
}
