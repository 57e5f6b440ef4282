package dev.pressline.publisher.smtp;

import java.util.Locale;

/** How the SMTP connection is protected. */
public enum SmtpSecurity {
  /** Plain SMTP, for a local relay or a test server. */
  NONE,
  /** Plain connection upgraded with STARTTLS, which is then required (port 587). */
  STARTTLS,
  /** TLS from the first byte (port 465). */
  TLS;

  /** Parses {@code none}, {@code starttls} or {@code tls}; null when the text is none of them. */
  public static SmtpSecurity parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "none" -> NONE;
      case "starttls" -> STARTTLS;
      case "tls", "ssl" -> TLS;
      default -> null;
    };
  }
}
