package dev.pressline.publisher.smtp;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A message's DATA section on its way to the connection's socket, written as RFC 5321 asks: every
 * line ends with CRLF (a lone CR or LF becomes one, as Angus' own stream does) and a dot that starts
 * a line is doubled (section 4.5.2), so nothing in a message can end it early. Angus does this by
 * passing every byte through two streams, which cost close to half of the mailer threads' CPU in the
 * mail benchmark; here each run of ordinary bytes is found by one loop and copied whole into a buffer
 * that reaches the socket in large writes.
 *
 * <p>Nothing goes out before {@link #finish()} unless the buffer fills: the message and its end
 * ({@code .} on a line of its own, written by Angus) then leave in two writes. One instance serves
 * a connection's messages one after another; {@link #begin()} starts each.
 */
final class DataSection extends OutputStream {

  static final int BUFFER_SIZE = 64 * 1024;

  private final OutputStream socket;
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private int count;
  private boolean atLineStart;
  private boolean afterCr;

  DataSection(OutputStream socket) {
    this.socket = requireNonNull(socket, "socket");
  }

  /** Starts a message: the first byte written starts a line. */
  DataSection begin() {
    count = 0;
    atLineStart = true;
    afterCr = false;
    return this;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int end = offset + length;
    int i = offset;
    while (i < end) {
      byte c = bytes[i];
      if (c == '\r') {
        lineEnd();
        afterCr = true;
        i++;
      } else if (c == '\n') {
        // the LF of a CRLF has been written with its CR
        if (!afterCr) {
          lineEnd();
        }
        afterCr = false;
        i++;
      } else {
        afterCr = false;
        if (atLineStart && c == '.') {
          put((byte) '.');
        }
        int start = i;
        while (i < end) {
          byte next = bytes[i];
          if (next == '\r' || next == '\n') {
            break;
          }
          i++;
        }
        copy(bytes, start, i - start);
        atLineStart = false;
      }
    }
  }

  /**
   * Jakarta Mail flushes when it has written a message; the bytes wait for {@link #finish()}, so
   * the message goes out in as few writes as its size allows.
   */
  @Override
  public void flush() {
    // see above
  }

  /** Ends the last line if it is open and sends everything written since {@link #begin()}. */
  void finish() throws IOException {
    if (!atLineStart) {
      lineEnd();
    }
    if (count > 0) {
      socket.write(buffer, 0, count);
      count = 0;
    }
    socket.flush();
  }

  private void lineEnd() throws IOException {
    put((byte) '\r');
    put((byte) '\n');
    atLineStart = true;
  }

  private void put(byte b) throws IOException {
    if (count == buffer.length) {
      drain();
    }
    buffer[count++] = b;
  }

  private void copy(byte[] bytes, int offset, int length) throws IOException {
    while (length > 0) {
      if (count == buffer.length) {
        drain();
      }
      int n = Math.min(length, buffer.length - count);
      System.arraycopy(bytes, offset, buffer, count, n);
      count += n;
      offset += n;
      length -= n;
    }
  }

  private void drain() throws IOException {
    socket.write(buffer, 0, count);
    count = 0;
  }
}
