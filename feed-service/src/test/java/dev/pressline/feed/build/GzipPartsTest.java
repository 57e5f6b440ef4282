package dev.pressline.feed.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipPartsTest {

  @Test
  void partsCompressedSeparatelyJoinIntoOneGzipBodyOfTheWhole() throws Exception {
    byte[] text = "<item>“quoted” &amp; more</item>\r\n".repeat(5000).getBytes(StandardCharsets.UTF_8);
    byte[] noise = new byte[200_000]; // does not compress: the deflater's output outgrows a buffer
    new Random(7).nextBytes(noise);
    byte[] small = "<rss>".getBytes(StandardCharsets.UTF_8);
    byte[] empty = new byte[0];
    List<byte[]> parts = List.of(small, text, empty, noise, text);
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      whole.write(part);
    }

    List<byte[]> alone = parts.stream().map(part -> GzipParts.deflate(part, null)).toList();
    List<byte[]> chained = new java.util.ArrayList<>();
    byte[] preceding = null;
    for (byte[] part : parts) {
      chained.add(GzipParts.deflate(part, preceding));
      preceding = part;
    }

    byte[] separate = GzipParts.member(alone, whole.toByteArray());
    byte[] together = GzipParts.member(chained, whole.toByteArray());

    assertThat(gunzip(separate)).isEqualTo(whole.toByteArray());
    assertThat(gunzip(together)).isEqualTo(whole.toByteArray());
    assertThat(together.length)
        .as("the second text part refers back into the first")
        .isLessThan(separate.length);
  }

  static byte[] gunzip(byte[] gzip) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }
}
