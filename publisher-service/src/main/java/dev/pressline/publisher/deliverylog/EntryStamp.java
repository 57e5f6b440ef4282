package dev.pressline.publisher.deliverylog;

import dev.pressline.events.DeliveryRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What decides between two delivery-log entries of one key, in a record header beside the JSON:
 * its time and whether its status is final. With it the view can tell, without parsing the entry,
 * that an entry read back from the topic cannot change its copy, which is the case for nearly
 * every entry this instance wrote itself and already remembered.
 *
 * @param at the entry's time
 * @param isFinal whether the entry's status is final (SENT, BOUNCED, FAILED)
 */
record EntryStamp(Instant at, boolean isFinal) {

  /** The header's name; entries written without it (older versions, other writers) are parsed. */
  static final String HEADER = "pressline-stamp";
  private static final int SIZE = Long.BYTES + Integer.BYTES + 1;

  static EntryStamp of(DeliveryRecord record) {
    return new EntryStamp(record.at(), record.status().isFinal());
  }

  /** The stamp of {@code record} as the headers it is written with. */
  static Headers headersOf(DeliveryRecord record) {
    return new RecordHeaders().add(HEADER, of(record).bytes());
  }

  byte[] bytes() {
    return ByteBuffer.allocate(SIZE).putLong(at.getEpochSecond()).putInt(at.getNano()).put((byte) (isFinal ? 1 : 0))
        .array();
  }

  /** The stamp in {@code headers}, or null when there is none or it is not one this version reads. */
  static EntryStamp in(Headers headers) {
    Header header = headers.lastHeader(HEADER);
    if (header == null || header.value() == null || header.value().length != SIZE) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(header.value());
    long seconds = b.getLong();
    int nano = b.getInt();
    byte isFinal = b.get();
    if (nano < 0 || nano > 999_999_999 || (isFinal != 0 && isFinal != 1)) {
      return null;
    }
    return new EntryStamp(Instant.ofEpochSecond(seconds, nano), isFinal == 1);
  }
}
