package dev.pressline.feed.http;

import dev.pressline.feed.site.Representation;
import dev.pressline.feed.site.SiteSnapshot;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * The validators and type of each served representation as header fields encoded once, not on
 * every request: formatting the {@code Last-Modified} date and encoding the header values was a
 * visible part of a 304 in the profile, and a 304 is most of what a feed server answers. Kept for
 * the snapshot being served; a new snapshot starts afresh, so nothing piles up.
 */
final class PreparedHeaders {

  /** A representation's own header fields. */
  record Fields(
      HttpField contentType, HttpField etag, HttpField gzipEtag, HttpField lastModified) {

    static Fields of(Representation rep) {
      return new Fields(
          new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, rep.contentType()),
          new PreEncodedHttpField(HttpHeader.ETAG, rep.etag()),
          new PreEncodedHttpField(HttpHeader.ETAG, rep.gzipEtag()),
          // an empty catalogue has never changed: no date is better than 1970
          rep.lastModified().isAfter(Instant.EPOCH)
              ? new PreEncodedHttpField(HttpHeader.LAST_MODIFIED, httpDate(rep.lastModified()))
              : null);
    }
  }

  private record Generation(SiteSnapshot snapshot, Map<Representation, Fields> fields) {}

  private volatile Generation current = new Generation(null, Map.of());

  /** The fields of {@code rep}, which belongs to {@code snapshot}. */
  Fields of(SiteSnapshot snapshot, Representation rep) {
    Generation generation = current;
    if (generation.snapshot() != snapshot) {
      // a request still holding the previous snapshot may replace a newer generation: harmless,
      // the next request makes it again
      generation = new Generation(snapshot, new ConcurrentHashMap<>());
      current = generation;
    }
    Fields fields = generation.fields().get(rep);
    if (fields == null) {
      fields = Fields.of(rep);
      generation.fields().put(rep, fields);
    }
    return fields;
  }

  static String httpDate(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
  }
}
