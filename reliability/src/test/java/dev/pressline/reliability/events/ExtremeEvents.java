package dev.pressline.reliability.events;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.pressline.events.DeliveryJob;
import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.DeliveryStatus;
import dev.pressline.events.MediaRef;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Seeded generator of the records a broken or older producer could write to Pressline's topics:
 * events that are valid JSON of the right shape but extreme (dates at the ends of time, empty, huge
 * and control-character strings, lone surrogates, absurd numbers, unknown schema versions, keys that
 * do not match the value, no key at all), tombstones, and values no reader can take (unknown enum
 * values, missing required fields, wrong types, broken JSON). Every consumer test feeds its consumer
 * from here, so one generator defines what "any event" means.
 *
 * <p>Addresses an extreme event carries that the publisher must refuse (line breaks, display names,
 * lists, control characters, spaces, non-ASCII) always name a mailbox at {@link #VICTIM_DOMAIN}; the
 * valid ones are at {@link #VALID_DOMAIN}. Nothing is ever addressed to {@link #RESERVED_DOMAIN}, which
 * is the tests' own. Dates are never in the next year, so no extreme post comes due during a test.
 */
public final class ExtremeEvents {

  /** Where every address that must be refused points; no mail may arrive there. */
  public static final String VICTIM_DOMAIN = "victim.example";
  /** The domain of the plain, valid addresses among the extreme events. */
  public static final String VALID_DOMAIN = "example.net";
  /** Never used by the generator: the tests' normal subscribers live here. */
  public static final String RESERVED_DOMAIN = "normal.example";

  /** One record as it goes onto a topic: a null key, a null value (tombstone) or bytes of any kind. */
  public record Raw(String kind, String key, byte[] value) {
    /** For a failure message: short, one line. */
    public String describe() {
      String v = value == null ? "(tombstone)" : new String(value, StandardCharsets.UTF_8);
      String text = kind + " key=" + (key == null ? "(none)" : key) + " value=" + v;
      text = text.replaceAll("\\p{Cntrl}", "?");
      return text.length() <= 300 ? text : text.substring(0, 297) + "...";
    }
  }

  private static final Instant NOW = Instant.now();

  private final Random r;
  /**
   * The events' JSON form (as {@link dev.pressline.events.EventJson} writes it), with every non-ASCII
   * character escaped: a lone surrogate can then travel as {@code \\ud800}, as some producers write it.
   */
  private final ObjectMapper tree = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
      .build();

  public ExtremeEvents(long seed) {
    this.r = new Random(seed);
  }

  /** A seed from the command line ({@code -Dpressline.events.seed=…}) or else from the clock. */
  public static long[] seeds(int count) {
    String fixed = System.getProperty("pressline.events.seed");
    if (fixed != null && !fixed.isBlank()) {
      return new long[] {Long.parseLong(fixed.trim())};
    }
    long[] seeds = new long[count];
    long base = System.nanoTime();
    for (int i = 0; i < count; i++) {
      seeds[i] = base + i;
    }
    return seeds;
  }

  public List<Raw> posts(int count) {
    return many(count, this::post);
  }

  public List<Raw> subscribers(int count) {
    return many(count, this::subscriber);
  }

  public List<Raw> deliveryJobs(int count) {
    return many(count, this::deliveryJob);
  }

  public List<Raw> deliveryRecords(int count) {
    return many(count, this::deliveryRecord);
  }

  private static List<Raw> many(int count, Supplier<Raw> one) {
    List<Raw> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(one.get());
    }
    return out;
  }

  // ---------------------------------------------------------------- posts

  public Raw post() {
    PostEvent event = postEvent();
    return shaped("post", event, event.slug(), this::slug, "change", "ARCHIVED", "revision");
  }

  private PostEvent postEvent() {
    return PostEvent.builder()
        .schemaVersion(schemaVersion())
        .change(PostChange.values()[r.nextInt(PostChange.values().length)])
        .slug(slug())
        .revision(pick(1, 2, 0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE))
        .title(text())
        .author(r.nextBoolean() ? null : text())
        .summary(r.nextBoolean() ? null : text())
        .html(r.nextBoolean() ? null : html())
        .text(r.nextBoolean() ? null : text())
        .publishAt(instant())
        .tags(r.nextBoolean() ? null : List.of(text(), text()))
        .audio(r.nextBoolean() ? null : media("mp3"))
        .image(r.nextInt(3) == 0 ? media("jpg") : null)
        .explicit(r.nextBoolean())
        .email(r.nextInt(4) != 0)
        .episode(r.nextBoolean() ? null : pick(1, 0, -7, Integer.MAX_VALUE, Integer.MIN_VALUE))
        .season(r.nextBoolean() ? null : pick(1, 0, -7, Integer.MAX_VALUE, Integer.MIN_VALUE))
        .contentHash(r.nextBoolean() ? null : text())
        .sourceFile(r.nextBoolean() ? null : text())
        .ingestedAt(r.nextBoolean() ? null : instant())
        .resend(r.nextBoolean())
        .build();
  }

  private MediaRef media(String extension) {
    String name = switch (r.nextInt(5)) {
      case 0 -> "abc123." + extension;
      case 1 -> "../../etc/passwd";
      case 2 -> "";
      case 3 -> "a b/ü?#." + extension;
      default -> text();
    };
    return new MediaRef(name, r.nextBoolean() ? "audio/mpeg" : text(), pickLong(0, 1, Long.MAX_VALUE, 123_456),
        r.nextBoolean() ? null : pickLong(0, -1, 1, Long.MAX_VALUE, Long.MIN_VALUE, 3725));
  }

  // ---------------------------------------------------------------- subscribers

  public Raw subscriber() {
    SubscriberEvent event = new SubscriberEvent(schemaVersion(), address(),
        SubscriberStatus.values()[r.nextInt(SubscriberStatus.values().length)], instant(),
        r.nextBoolean() ? null : text());
    return shaped("subscriber", event, event.email(), this::address, "status", "VIP", "changedAt");
  }

  // ---------------------------------------------------------------- deliveries

  public Raw deliveryJob() {
    DeliveryJob job = new DeliveryJob(schemaVersion(), slug(), pick(1, 2, 0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE),
        address(), instant(), r.nextBoolean());
    return shaped("delivery job", job, job.email(), this::address, "resend", "maybe", "email");
  }

  public Raw deliveryRecord() {
    String slug = r.nextInt(5) == 0 ? slug() + "@r" + pick(0, -1, Integer.MAX_VALUE) : slug();
    String email = r.nextInt(5) == 0 ? "*" : address();
    DeliveryRecord record = new DeliveryRecord(schemaVersion(), slug, email,
        DeliveryStatus.values()[r.nextInt(DeliveryStatus.values().length)], pick(0, 1, -1, Integer.MAX_VALUE),
        r.nextBoolean() ? null : text(), instant());
    return shaped("delivery record", record, record.key(), () -> slug() + " " + address(), "status", "LOST", "at");
  }

  // ---------------------------------------------------------------- shapes

  /**
   * The event as it is, or bent: under another key or none, as a tombstone, with an unknown enum
   * value, with a required field missing or of the wrong type, with unknown fields, or not JSON.
   */
  private Raw shaped(String type, Object event, String key, Supplier<String> otherKey, String enumField,
      String unknownEnum, String requiredField) {
    int shape = r.nextInt(20);
    return switch (shape) {
      case 0 -> new Raw(type + ", key not the value's", otherKey.get(), write(event));
      case 1 -> new Raw(type + ", no key", null, write(event));
      case 2 -> new Raw(type + ", tombstone", r.nextBoolean() ? key : otherKey.get(), null);
      case 3 -> new Raw(type + ", tombstone without key", null, null);
      case 4 -> new Raw(type + ", unknown " + enumField, key, edit(event, n -> n.put(enumField, unknownEnum)));
      case 5 -> new Raw(type + ", no " + requiredField, key, edit(event, n -> n.remove(requiredField)));
      case 6 -> new Raw(type + ", " + requiredField + " of the wrong type", key,
          edit(event, n -> n.putArray(requiredField).add(1)));
      case 7 -> new Raw(type + ", fields of a later version", key, edit(event, n -> {
        n.put("schemaVersion", 2);
        n.put("priority", "urgent");
        n.putObject("nested").put("x", text());
      }));
      case 8 -> new Raw(type + ", absurd numbers", key, edit(event, n -> n.fields().forEachRemaining(f -> {
        if (f.getValue().isNumber()) {
          f.setValue(tree.getNodeFactory().numberNode(new java.math.BigInteger("9".repeat(40))));
        }
      })));
      case 9 -> new Raw(type + ", unreadable", key, unreadable());
      default -> new Raw(type, key, write(event));
    };
  }

  private interface NodeEdit {
    void apply(ObjectNode node);
  }

  private byte[] write(Object event) {
    try {
      return tree.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] edit(Object event, NodeEdit edit) {
    try {
      JsonNode node = tree.valueToTree(event);
      edit.apply((ObjectNode) node);
      return tree.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] unreadable() {
    String text = switch (r.nextInt(9)) {
      case 0 -> "{not json";
      case 1 -> "";
      case 2 -> "null";
      case 3 -> "[]";
      case 4 -> "\"just a string\"";
      case 5 -> "[".repeat(5000);
      case 6 -> "{\"schemaVersion\": 1e999999}";
      case 7 -> "{\"slug\": \"\\ud800\", \"email\": \"\\udc00\"";
      default -> null;
    };
    if (text != null) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    byte[] bytes = new byte[r.nextInt(200)];
    r.nextBytes(bytes);
    return bytes;
  }

  // ---------------------------------------------------------------- values

  private int schemaVersion() {
    return pick(1, 1, 1, 0, -1, 2, 99, Integer.MAX_VALUE, Integer.MIN_VALUE);
  }

  private String slug() {
    return switch (r.nextInt(9)) {
      case 0 -> "";
      case 1 -> "a b/../c?d#e";
      case 2 -> "ü-\u0000-\u202e";
      case 3 -> "x".repeat(3000);
      case 4 -> "with@r7";
      case 5 -> "spaced slug";
      default -> "post-" + r.nextInt(12);
    };
  }

  /** An address: a plain valid one, or one the publisher must never mail (always at the victim domain). */
  private String address() {
    String victim = "victim" + r.nextInt(5) + "@" + VICTIM_DOMAIN;
    return switch (r.nextInt(14)) {
      case 0 -> "";
      case 1 -> "a@" + VICTIM_DOMAIN + "\r\nBcc: " + victim;
      case 2 -> victim + "\r\n";
      case 3 -> "Someone <" + victim + ">";
      case 4 -> "a@" + VICTIM_DOMAIN + ", " + victim;
      case 5 -> "\"" + victim.replace("@", "\r\n\"@");
      case 6 -> victim.replace("@", "\u0000@");
      case 7 -> " " + victim.replace("victim", "vic tim");
      case 8 -> victim.replace("victim", "vïctim");
      case 9 -> "x".repeat(300) + victim;
      case 10 -> victim.replace("@", "@@");
      default -> "reader" + r.nextInt(6) + "@" + VALID_DOMAIN;
    };
  }

  /** Dates at the ends of time and far away; never in the next year, so nothing comes due in a test. */
  private Instant instant() {
    return switch (r.nextInt(10)) {
      case 0 -> Instant.MIN;
      case 1 -> Instant.MAX;
      case 2 -> Instant.parse("+999999999-12-31T00:00:00Z");
      case 3 -> Instant.parse("-999999999-01-01T00:00:00Z");
      case 4 -> Instant.EPOCH;
      case 5 -> Instant.parse("0001-01-01T00:00:00Z");
      case 6 -> Instant.parse("9999-12-31T23:59:59Z");
      case 7 -> NOW.plusSeconds(400L * 86_400 + r.nextInt(1_000_000));
      default -> NOW.minusSeconds(1 + r.nextInt(10_000_000));
    };
  }

  private String text() {
    return switch (r.nextInt(9)) {
      case 0 -> "";
      case 1 -> " \t\n ";
      case 2 -> "ctl \u0000\u0001\u0007\u001b[31m\u007f\u0085 end";
      case 3 -> "\ud800 lone surrogates \udc00 \ufffe\uffff";
      case 4 -> "<script>alert(1)</script>]]>&amp;&#0;\"'";
      case 5 -> "long ".repeat(4000 + r.nextInt(16_000));
      case 6 -> "🎙️ émission “spéciale” – 日本語 עברית \u202e";
      case 7 -> "%00%2F..%5c\r\nBcc: victim@" + VICTIM_DOMAIN;
      default -> "Plain text " + r.nextInt(1000);
    };
  }

  private String html() {
    return switch (r.nextInt(4)) {
      case 0 -> "<p>" + text() + "</p>";
      case 1 -> "<div><p>unclosed <b>bold <i>deep".repeat(300);
      case 2 -> "<img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">x</a>";
      default -> text();
    };
  }

  private int pick(int... values) {
    return values[r.nextInt(values.length)];
  }

  private long pickLong(long... values) {
    return values[r.nextInt(values.length)];
  }
}
