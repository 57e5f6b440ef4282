package dev.pressline.publisher.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.eclipse.angus.mail.smtp.SMTPOutputStream;
import org.junit.jupiter.api.Test;

/** DataSection writes exactly what Angus' own DATA stream writes, however the message is cut into writes. */
class DataSectionTest {

  private static final byte[] ALPHABET = ".\r\nab \t=".getBytes(StandardCharsets.US_ASCII);

  @Test
  void writesWhatAngusWritesForRandomMessagesInRandomPieces() throws IOException {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    ByteArrayOutputStream socket = new ByteArrayOutputStream();
    DataSection section = new DataSection(socket);
    for (int round = 0; round < 3_000; round++) {
      // now and then larger than the buffer, so it goes out in several writes
      int size = round % 100 == 0 ? DataSection.BUFFER_SIZE * 2 + random.nextInt(5_000) : random.nextInt(400);
      byte[] message = new byte[size];
      for (int i = 0; i < size; i++) {
        message[i] = ALPHABET[random.nextInt(ALPHABET.length)];
      }
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      SMTPOutputStream angus = new SMTPOutputStream(expected);
      socket.reset();
      section.begin();
      int at = 0;
      while (at < size) {
        if (random.nextInt(10) == 0) {
          angus.write(message[at]);
          section.write(message[at]);
          at++;
        } else {
          int length = Math.min(size - at, random.nextInt(size / 3 + 2));
          angus.write(message, at, length);
          section.write(message, at, length);
          at += length;
        }
      }
      angus.ensureAtBOL();
      section.finish();
      assertThat(new String(socket.toByteArray(), StandardCharsets.US_ASCII))
          .as("round %d of seed %d", round, seed)
          .isEqualTo(new String(expected.toByteArray(), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void aDotStartingALineIsDoubledSoTheMessageCannotEndEarly() throws IOException {
    String wire = written(".first\r\nsecond.\r\n.\r\nMAIL FROM:<someone@example.org>\n..two");
    assertThat(wire).isEqualTo("..first\r\nsecond.\r\n..\r\nMAIL FROM:<someone@example.org>\r\n...two\r\n");
    assertThat(wire).doesNotContain("\r\n.\r\n");
  }

  @Test
  void lonelyLineBreaksBecomeCrlf() throws IOException {
    assertThat(written("one\ntwo\rthree\r\n\r\nfour")).isEqualTo("one\r\ntwo\r\nthree\r\n\r\nfour\r\n");
  }

  @Test
  void eachMessageStartsOnANewLineAndNothingLeavesBeforeItsEnd() throws IOException {
    ByteArrayOutputStream socket = new ByteArrayOutputStream();
    DataSection section = new DataSection(socket);
    section.begin().write("first, open at the end".getBytes(StandardCharsets.US_ASCII));
    section.flush();
    assertThat(socket.size()).as("bytes on the socket before finish").isZero();
    section.finish();
    section.begin().write(".second".getBytes(StandardCharsets.US_ASCII));
    section.finish();
    assertThat(socket.toString(StandardCharsets.US_ASCII)).isEqualTo("first, open at the end\r\n..second\r\n");
  }

  private static String written(String message) throws IOException {
    ByteArrayOutputStream socket = new ByteArrayOutputStream();
    DataSection section = new DataSection(socket).begin();
    section.write(message.getBytes(StandardCharsets.US_ASCII));
    section.finish();
    return socket.toString(StandardCharsets.US_ASCII);
  }
}
