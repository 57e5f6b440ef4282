package dev.pressline.publisher.subscribe;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;
import java.util.Optional;

/** Checks and normalises the addresses people type into a subscribe form or a CSV file. */
public final class EmailAddress {

  /** The longest address SMTP can carry (RFC 5321 path limit less the angle brackets). */
  private static final int MAX_LENGTH = 254;

  private EmailAddress() {}

  /**
   * The normalised form of {@code raw} (trimmed, domain lower-cased), or empty when it is not a
   * single plain address that mail can be sent to.
   */
  public static Optional<String> normalise(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String text = raw.strip();
    if (text.isEmpty() || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    // no display names, lists, comments, quoting or control characters: just local@domain
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"'
          || c == '(' || c == ')' || c == '\\' || c == '[' || c == ']' || c == ':') {
        return Optional.empty();
      }
    }
    int at = text.lastIndexOf('@');
    if (at <= 0 || at != text.indexOf('@') || at == text.length() - 1) {
      return Optional.empty();
    }
    String domain = text.substring(at + 1).toLowerCase(Locale.ROOT);
    // localhost is allowed for the demo's mail catcher; any other domain needs a dot
    if (!domain.equals("localhost") && !domain.matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+")) {
      return Optional.empty();
    }
    String address = text.substring(0, at) + "@" + domain;
    try {
      new InternetAddress(address, true).validate();
    } catch (AddressException e) {
      return Optional.empty();
    }
    return Optional.of(address);
  }
}
