package dev.pressline.launcher.mailcatcher;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.stream.Collectors;

/**
 * One captured message in the form the mail catcher's pages show it: the headers a reader sees and
 * the decoded HTML and plain-text parts.
 */
public record CapturedMail(
    int number, String from, String to, String subject, Date sent, String html, String text, String raw) {

  static CapturedMail of(int number, MimeMessage message) {
    try {
      Bodies bodies = new Bodies();
      bodies.collect(message);
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      message.writeTo(raw);
      return new CapturedMail(
          number,
          join(message.getFrom()),
          join(message.getAllRecipients()),
          message.getSubject() == null ? "(no subject)" : message.getSubject(),
          message.getSentDate(),
          bodies.html,
          bodies.text,
          raw.toString(StandardCharsets.UTF_8));
    } catch (MessagingException | IOException e) {
      String problem = "cannot read this message: " + e.getMessage();
      return new CapturedMail(number, "", "", "(unreadable)", null, "", problem, problem);
    }
  }

  private static String join(Address[] addresses) {
    return addresses == null
        ? ""
        : Arrays.stream(addresses).map(Address::toString).collect(Collectors.joining(", "));
  }

  /** Finds the first HTML and plain-text parts anywhere in the MIME tree. */
  private static final class Bodies {
    private String html = "";
    private String text = "";

    void collect(Part part) throws MessagingException, IOException {
      if (part.isMimeType("multipart/*")) {
        Multipart multipart = (Multipart) part.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
          BodyPart child = multipart.getBodyPart(i);
          collect(child);
        }
      } else if (part.isMimeType("text/html") && html.isEmpty()) {
        html = part.getContent().toString();
      } else if (part.isMimeType("text/plain") && text.isEmpty()) {
        text = part.getContent().toString();
      }
    }
  }
}
