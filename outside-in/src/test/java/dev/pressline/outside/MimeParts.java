package dev.pressline.outside;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;

/** The parts of a received message as a mail client picks them. */
final class MimeParts {

  private MimeParts() {}

  /** The first part of {@code type} (e.g. {@code text/html}), depth first; null when there is none. */
  static String first(Part part, String type) {
    try {
      if (part.isMimeType(type)) {
        return (String) part.getContent();
      }
      if (part.isMimeType("multipart/*")) {
        Multipart multipart = (Multipart) part.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
          String found = first(multipart.getBodyPart(i), type);
          if (found != null) {
            return found;
          }
        }
      }
      return null;
    } catch (IOException | MessagingException e) {
      throw new AssertionError("cannot read the message's " + type + " part", e);
    }
  }
}
