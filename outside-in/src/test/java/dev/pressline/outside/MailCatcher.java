package dev.pressline.outside;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The launcher's mail catcher, read over HTTP as a user's browser reads it. */
final class MailCatcher {

  /** One captured message: its number on the catcher's pages and its raw source. */
  record Captured(int number, byte[] raw) {
    MimeMessage parse() {
      try {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
      } catch (jakarta.mail.MessagingException e) {
        throw new AssertionError("captured message " + number + " does not parse", e);
      }
    }

    String subject() {
      try {
        return parse().getSubject();
      } catch (jakarta.mail.MessagingException e) {
        throw new AssertionError("captured message " + number + " has no readable subject", e);
      }
    }

    String source() {
      return new String(raw, StandardCharsets.UTF_8);
    }
  }

  private final Web web = new Web();
  private final String base;

  MailCatcher(LaunchedPipeline pipeline) {
    this.base = pipeline.mailCatcherBase();
  }

  String base() {
    return base;
  }

  /** Every message captured so far, oldest first. */
  List<Captured> all() throws IOException {
    List<Captured> found = new ArrayList<>();
    for (int n = 1; ; n++) {
      var response = web.get(base + "/messages/" + n + "/raw");
      if (response.statusCode() != 200) {
        return found;
      }
      found.add(new Captured(n, response.body()));
    }
  }
}
