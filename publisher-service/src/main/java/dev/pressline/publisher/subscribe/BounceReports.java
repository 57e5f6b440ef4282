package dev.pressline.publisher.subscribe;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.PublisherException;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads delivery status notifications (RFC 3464 bounce reports) and suppresses every recipient whose
 * delivery failed permanently (Action: failed, Status: 5.x.x), as a 5xx reply during sending would.
 */
public final class BounceReports {

  private static final Logger log = LoggerFactory.getLogger(BounceReports.class);

  private final SubscriberList list;
  private final SubscriberWriter writer;
  private final Session session = Session.getInstance(new Properties());

  public BounceReports(SubscriberList list, SubscriberWriter writer) {
    this.list = requireNonNull(list, "list");
    this.writer = requireNonNull(writer, "writer");
  }

  /** Processes one DSN message; returns the addresses it suppressed. */
  public List<String> process(InputStream rawMessage) {
    try {
      MimeMessage message = new MimeMessage(session, rawMessage);
      Part status = findDeliveryStatus(message);
      if (status == null) {
        throw new PublisherException("not a delivery status notification: no message/delivery-status part");
      }
      List<String> suppressed = new ArrayList<>();
      for (InternetHeaders recipient : recipientFields(status)) {
        String action = field(recipient, "Action").toLowerCase(Locale.ROOT);
        String code = field(recipient, "Status");
        String finalRecipient = field(recipient, "Final-Recipient");
        String address = finalRecipient.contains(";")
            ? finalRecipient.substring(finalRecipient.indexOf(';') + 1).strip() : finalRecipient;
        Optional<String> email = EmailAddress.normalise(address);
        if (!action.equals("failed") || !code.startsWith("5") || email.isEmpty()) {
          continue;
        }
        Optional<SubscriberEvent> current = list.get(email.get());
        if (current.isPresent() && current.get().status() != SubscriberStatus.BOUNCED) {
          writer.write(email.get(), SubscriberStatus.BOUNCED, "bounce report: " + code);
          suppressed.add(email.get());
          log.warn("Bounce report for {} (status {}): address suppressed", email.get(), code);
        }
      }
      return suppressed;
    } catch (MessagingException | IOException e) {
      throw new PublisherException("cannot read the bounce report: " + e.getMessage(), e);
    }
  }

  private static Part findDeliveryStatus(Part part) throws MessagingException, IOException {
    if (part.isMimeType("message/delivery-status")) {
      return part;
    }
    if (part.isMimeType("multipart/*")) {
      Multipart multipart = (Multipart) part.getContent();
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart child = multipart.getBodyPart(i);
        Part found = findDeliveryStatus(child);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** The per-message block, then one header block per recipient (RFC 3464 section 2.1). */
  private static List<InternetHeaders> recipientFields(Part status) throws MessagingException, IOException {
    List<InternetHeaders> blocks = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(status.getInputStream())) {
      new InternetHeaders(in); // per-message fields
      while (true) {
        in.mark(1);
        if (in.read() < 0) {
          break;
        }
        in.reset();
        InternetHeaders block = new InternetHeaders(in);
        if (block.getHeader("Final-Recipient") != null) {
          blocks.add(block);
        }
      }
    }
    return blocks;
  }

  private static String field(InternetHeaders headers, String name) {
    String value = headers.getHeader(name, null);
    return value == null ? "" : value.strip();
  }
}
