package dev.pressline.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextDecoderTest {

  private static final String TEXT = "Don’t “panic” – it’s fine…\nnaïve café\n";
  private final TextDecoder decoder = new TextDecoder();

  @Test
  void readsUtf8WithAndWithoutByteOrderMark() {
    byte[] plain = TEXT.getBytes(StandardCharsets.UTF_8);
    byte[] withBom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, plain);

    assertThat(decoder.decode(plain).text()).isEqualTo(TEXT);
    assertThat(decoder.decode(withBom).text()).isEqualTo(TEXT);
    assertThat(decoder.decode(withBom).encoding()).isEqualTo("UTF-8 with BOM");
  }

  @Test
  void readsUtf16WithByteOrderMarkInBothByteOrders() {
    byte[] le = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, TEXT.getBytes(StandardCharsets.UTF_16LE));
    byte[] be = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, TEXT.getBytes(StandardCharsets.UTF_16BE));

    assertThat(decoder.decode(le).text()).isEqualTo(TEXT);
    assertThat(decoder.decode(be).text()).isEqualTo(TEXT);
  }

  @Test
  void recognisesWindows1252ByItsTypographicBytes() {
    byte[] cp1252 = TEXT.getBytes(Charset.forName("windows-1252"));

    TextDecoder.Decoded decoded = decoder.decode(cp1252);

    assertThat(decoded.encoding()).isEqualTo("windows-1252");
    assertThat(decoded.text()).isEqualTo(TEXT);
  }

  @Test
  void turnsCrlfAndCrIntoLf() {
    assertThat(decoder.decode("a\r\nb\rc\n".getBytes(StandardCharsets.UTF_8)).text()).isEqualTo("a\nb\nc\n");
  }

  @Test
  void refusesBinaryFilesAndNulBytesWithALineNumber() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R', (byte) 0x90};
    assertThatThrownBy(() -> decoder.decode(png)).isInstanceOf(RejectedPostException.class).hasMessageContaining("not a text file");

    RejectedPostException e = catchRejected("Title\nfine\nbad\u0000here\n".getBytes(StandardCharsets.UTF_8));
    assertThat(e.reason()).startsWith("Line 3:").contains("NUL");
  }

  @Test
  void refusesBytesThatAreNeitherUtf8NorWindows1252() {
    byte[] undefined = {'T', 'i', 't', 'l', 'e', (byte) 0x81, (byte) 0x8D, '\n'};

    assertThatThrownBy(() -> decoder.decode(undefined)).hasMessageContaining("neither UTF-8 nor Windows-1252");
  }

  private RejectedPostException catchRejected(byte[] bytes) {
    try {
      decoder.decode(bytes);
    } catch (RejectedPostException e) {
      return e;
    }
    throw new AssertionError("not rejected");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
