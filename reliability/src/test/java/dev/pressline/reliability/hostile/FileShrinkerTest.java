package dev.pressline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class FileShrinkerTest {

  @Test
  void cutsAFailingFileDownToTheBytesThatMakeItFail() {
    byte[] file = new byte[20_000];
    Random random = new Random(7);
    for (int i = 0; i < file.length; i++) {
      file[i] = (byte) ('a' + random.nextInt(26));
    }
    file[1_234] = '<';
    file[17_777] = '>';
    // fails while it holds a '<' somewhere before a '>'
    Predicate<byte[]> fails = bytes -> {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int open = text.indexOf('<');
      return open >= 0 && text.indexOf('>', open) > open;
    };

    byte[] shrunk = FileShrinker.shrink(file, fails, 10_000);

    assertThat(new String(shrunk, StandardCharsets.ISO_8859_1)).isEqualTo("<>");
  }

  @Test
  void staysWithinItsTriesAndReturnsAFileThatStillFails() {
    byte[] file = "0123456789<abcdefghij>".repeat(100).getBytes(StandardCharsets.US_ASCII);
    AtomicInteger calls = new AtomicInteger();
    Predicate<byte[]> fails = bytes -> {
      calls.incrementAndGet();
      return new String(bytes, StandardCharsets.US_ASCII).contains("<abc");
    };

    byte[] shrunk = FileShrinker.shrink(file, fails, 12);

    assertThat(calls.get()).isLessThanOrEqualTo(12);
    assertThat(fails.test(shrunk)).isTrue();
    assertThat(shrunk.length).isLessThan(file.length);
  }

  @Test
  void describesBytesPrintably() {
    assertThat(FileShrinker.describe(new byte[] {'a', '"', '\r', (byte) 0xe2, 0}))
        .isEqualTo("\"a\\\"\\x0d\\xe2\\x00\"");
  }
}
