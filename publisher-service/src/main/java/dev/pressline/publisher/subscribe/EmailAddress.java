package dev.pressline.publisher.subscribe;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks and normalises the addresses people type into a subscribe form or a CSV file. Only plain
 * ASCII addresses are taken: an address with other characters needs SMTPUTF8 end to end, which we
 * do not speak, and invisible or direction-changing characters (zero-width spaces, U+202E, line
 * separators) make an address look like another one.
 */
public final class EmailAddress {

  /** The longest address SMTP can carry (RFC 5321 path limit less the angle brackets). */
  private static final int MAX_LENGTH = 254;
  /** RFC 5321 4.5.3.1.1. */
  private static final int MAX_LOCAL_PART = 64;
  private static final Pattern DOMAIN =
      Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

  private EmailAddress() {}

  /**
   * The normalised form of {@code raw} (spaces and tabs at the ends dropped, domain lower-cased), or
   * empty when it is not a single plain address that mail can be sent to.
   */
  public static Optional<String> normalise(String raw) {
    try {
      return Optional.of(check(raw));
    } catch (InvalidAddressException e) {
      return Optional.empty();
    }
  }

  /**
   * The normalised form of {@code raw}; throws {@link InvalidAddressException} saying what is wrong
   * with it in words the person who typed it understands.
   */
  public static String check(String raw) {
    if (raw == null) {
      throw new InvalidAddressException(raw, "no email address was given");
    }
    // only ASCII blanks at the ends: other spaces (no-break, U+2028) are refused below, not hidden
    String text = raw.replaceAll("^[ \\t]+|[ \\t]+$", "");
    if (text.isEmpty()) {
      throw new InvalidAddressException(raw, "no email address was given");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0x7e) {
        throw new InvalidAddressException(raw,
            "the email address may hold only plain letters, digits and punctuation (no accents, invisible or "
                + "special characters)");
      }
      // no display names, lists, comments, quoting or control characters: just local@domain
      if (c <= ' ' || c == '<' || c == '>' || c == ',' || c == ';' || c == '"'
          || c == '(' || c == ')' || c == '\\' || c == '[' || c == ']' || c == ':') {
        throw new InvalidAddressException(raw, "the email address must be a single address without spaces, "
            + "names or brackets");
      }
    }
    if (text.contains("=?")) {
      // an RFC 2047 encoded word: a mail program would show it decoded, as something else
      throw new InvalidAddressException(raw, "the email address must not contain '=?'");
    }
    if (text.length() > MAX_LENGTH) {
      throw new InvalidAddressException(raw, "the email address is longer than " + MAX_LENGTH + " characters");
    }
    int at = text.lastIndexOf('@');
    if (at <= 0 || at != text.indexOf('@') || at == text.length() - 1) {
      throw new InvalidAddressException(raw, "the email address needs exactly one @ with a name before it and "
          + "a domain after it");
    }
    if (at > MAX_LOCAL_PART) {
      throw new InvalidAddressException(raw, "the part before the @ of the email address is longer than " + MAX_LOCAL_PART + " characters");
    }
    String domain = text.substring(at + 1).toLowerCase(Locale.ROOT);
    // localhost is allowed for the demo's mail catcher; any other domain needs a dot
    if (!domain.equals("localhost") && !DOMAIN.matcher(domain).matches()) {
      throw new InvalidAddressException(raw, "the domain after the @ of the email address is not one mail can be sent to");
    }
    String address = text.substring(0, at) + "@" + domain;
    try {
      new InternetAddress(address, true).validate();
    } catch (AddressException e) {
      throw new InvalidAddressException(raw, "this is not an email address we can send to");
    }
    return address;
  }
}
