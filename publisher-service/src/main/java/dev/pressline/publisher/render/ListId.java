package dev.pressline.publisher.render;

import static java.util.Objects.requireNonNull;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity of the newsletter as a mailing list (RFC 2919 {@code List-Id}): mail clients and
 * filters group and sort list mail by it, and mailbox providers expect it of bulk mail.
 *
 * @param description the list's name for people, e.g. the channel title; may be empty
 * @param identifier a dot-atom under a domain the sender controls, e.g. {@code letter.example.org}
 */
public record ListId(String description, String identifier) {

  private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
  private static final Pattern IDENTIFIER = Pattern.compile(ATOM + "(?:\\." + ATOM + ")+");
  private static final Pattern HEADER = Pattern.compile("\\s*(.*?)\\s*<(" + IDENTIFIER.pattern() + ")>\\s*");
  /** RFC 2919 caps the identifier at 255 characters. */
  private static final int MAX_IDENTIFIER = 255;

  public ListId {
    requireNonNull(description, "description");
    requireNonNull(identifier, "identifier");
    description = HeaderText.singleLine(description);
    if (!IDENTIFIER.matcher(identifier).matches() || identifier.length() > MAX_IDENTIFIER) {
      throw new IllegalArgumentException("not a list identifier (a dot-atom such as letter.example.org): " + identifier);
    }
  }

  /**
   * The list id a sender gets without configuring one: {@code "<title>" <<local part>.<domain>>},
   * from {@code newsletter@example.org} the identifier {@code newsletter.example.org}.
   */
  public static ListId derived(InternetAddress from, String title) {
    String address = from.getAddress();
    int at = address.lastIndexOf('@');
    // a quoted or unusual local part keeps only what a dot-atom may hold
    String local = address.substring(0, at).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
        .replaceAll("^-+|-+$", "");
    String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
    return new ListId(title == null ? "" : title, (local.isEmpty() ? "list" : local) + "." + domain);
  }

  /** Reads {@code "Title" <id.example.org>}, {@code Title <id.example.org>} or {@code <id.example.org>}. */
  public static Optional<ListId> parse(String value) {
    Matcher m = HEADER.matcher(value);
    if (!m.matches()) {
      return Optional.empty();
    }
    String description = m.group(1);
    if (description.length() >= 2 && description.startsWith("\"") && description.endsWith("\"")) {
      description = description.substring(1, description.length() - 1).replaceAll("\\\\(.)", "$1");
    }
    return Optional.of(new ListId(description, m.group(2)));
  }

  /** The header value: the description as a quoted string, or RFC 2047 words where it is not ASCII. */
  public String header() {
    if (description.isEmpty()) {
      return "<" + identifier + ">";
    }
    String phrase;
    if (StandardCharsets.US_ASCII.newEncoder().canEncode(description)) {
      phrase = "\"" + description.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    } else {
      try {
        phrase = MimeUtility.encodeWord(description, StandardCharsets.UTF_8.name(), "Q");
      } catch (UnsupportedEncodingException e) {
        throw new IllegalStateException("UTF-8 is part of every Java runtime", e);
      }
    }
    return phrase + " <" + identifier + ">";
  }
}
