package dev.pressline.reliability.attack;

import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What arrived at the test's real SMTP server, read back the way a mail client would. */
final class Mailbox {

  private static final Pattern TOKEN_LINK = Pattern.compile("/(confirm|unsubscribe)\\?token=([A-Za-z0-9_\\-.]+)");

  private final GreenMailExtension smtp;

  Mailbox(GreenMailExtension smtp) {
    this.smtp = smtp;
  }

  List<MimeMessage> to(String address) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return Arrays.stream(m.getAllRecipients()).anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(address));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  MimeMessage awaitOne(String address, String subjectPart) {
    await("mail to " + address + " about " + subjectPart).atMost(Duration.ofSeconds(60))
        .until(() -> to(address).stream().anyMatch(m -> subject(m).contains(subjectPart)));
    return to(address).stream().filter(m -> subject(m).contains(subjectPart)).reduce((a, b) -> b).orElseThrow();
  }

  /** The token of the first {@code /confirm} or {@code /unsubscribe} link in the message's text. */
  static String token(MimeMessage message, String purpose) {
    Matcher m = TOKEN_LINK.matcher(allText(message));
    while (m.find()) {
      if (m.group(1).equals(purpose)) {
        return m.group(2);
      }
    }
    throw new AssertionError("no " + purpose + " link in " + subject(message));
  }

  static String subject(MimeMessage m) {
    try {
      return String.valueOf(m.getSubject());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every text part, decoded, plus the headers. */
  static String allText(MimeMessage message) {
    try {
      StringBuilder out = new StringBuilder();
      var headers = message.getAllHeaderLines();
      while (headers.hasMoreElements()) {
        out.append(headers.nextElement()).append('\n');
      }
      append(message.getContent(), out);
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Only the text/html part, decoded. */
  static String html(MimeMessage message) {
    try {
      return findPart(message.getContent(), "text/html");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String findPart(Object content, String type) throws Exception {
    if (content instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart part = multipart.getBodyPart(i);
        if (part.isMimeType(type)) {
          return String.valueOf(part.getContent());
        }
        String inner = findPart(part.getContent(), type);
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }

  private static void append(Object content, StringBuilder out) throws Exception {
    if (content instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        append(multipart.getBodyPart(i).getContent(), out);
      }
    } else {
      out.append(content).append('\n');
    }
  }
}
