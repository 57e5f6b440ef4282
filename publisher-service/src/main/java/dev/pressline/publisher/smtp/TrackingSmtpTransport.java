package dev.pressline.publisher.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport, noting whether the current message's end (the final "." after DATA)
 * has gone out. A server takes a message only with that end, so a connection that breaks before it
 * cannot have delivered the message: sending it again is no duplicate. Exception texts cannot say
 * this reliably ("Broken pipe" can come at MAIL FROM as well as after the end).
 */
final class TrackingSmtpTransport extends SMTPTransport {

  private volatile boolean endOfMessageSent;

  TrackingSmtpTransport(Session session, String protocol) {
    // the URL Session.getTransport(protocol) would make: host, port and login come from the session
    super(session, new URLName(protocol, null, -1, null, null, null), protocol, "smtps".equals(protocol));
  }

  /** Whether the message being sent (or last sent) may have reached the server whole. */
  boolean endOfMessageSent() {
    return endOfMessageSent;
  }

  @Override
  protected void mailFrom() throws MessagingException {
    // MAIL FROM starts every message
    endOfMessageSent = false;
    super.mailFrom();
  }

  @Override
  protected void finishData() throws IOException, MessagingException {
    // set before the end is written: from here on a break leaves it open whether the server has it
    endOfMessageSent = true;
    super.finishData();
  }

  @Override
  protected void finishBdat() throws IOException, MessagingException {
    endOfMessageSent = true;
    super.finishBdat();
  }
}
