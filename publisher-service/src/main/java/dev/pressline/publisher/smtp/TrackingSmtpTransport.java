package dev.pressline.publisher.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport, noting whether the current message's end (the final "." after DATA)
 * has gone out. A server takes a message only with that end, so a connection that breaks before it
 * cannot have delivered the message: sending it again is no duplicate. Exception texts cannot say
 * this reliably ("Broken pipe" can come at MAIL FROM as well as after the end).
 *
 * <p>Connected on a plain socket of our own ({@link #connect(Socket)}), it writes each message's
 * DATA section to that socket through a {@link DataSection}; Angus still sends every command and
 * reads every reply. After STARTTLS, or when Angus opened the connection, the message goes through
 * Angus' own streams.
 */
final class TrackingSmtpTransport extends SMTPTransport {

  private volatile boolean endOfMessageSent;
  // guarded by this transport's monitor, which Angus holds from connecting to the end of a message
  private DataSection dataSection;
  private DataSection writing;

  TrackingSmtpTransport(Session session, String protocol) {
    // the URL Session.getTransport(protocol) would make: host, port and login come from the session
    super(session, new URLName(protocol, null, -1, null, null, null), protocol, "smtps".equals(protocol));
  }

  /** Whether the message being sent (or last sent) may have reached the server whole. */
  boolean endOfMessageSent() {
    return endOfMessageSent;
  }

  @Override
  public synchronized void connect(Socket socket) throws MessagingException {
    try {
      dataSection = new DataSection(socket.getOutputStream());
    } catch (IOException e) {
      throw new MessagingException("cannot write to the SMTP connection: " + e.getMessage(), e);
    }
    super.connect(socket);
  }

  @Override
  protected void startTLS() throws MessagingException {
    // from here on the socket speaks TLS, which only Angus' streams write
    dataSection = null;
    super.startTLS();
  }

  @Override
  protected void mailFrom() throws MessagingException {
    // MAIL FROM starts every message
    endOfMessageSent = false;
    writing = null;
    super.mailFrom();
  }

  @Override
  protected OutputStream data() throws MessagingException {
    OutputStream angus = super.data();
    if (dataSection == null) {
      return angus;
    }
    // nothing is written through Angus' stream, which it finishes at the end of the line it is on:
    // the start of one
    writing = dataSection.begin();
    return writing;
  }

  @Override
  protected void finishData() throws IOException, MessagingException {
    if (writing != null) {
      // the message without its end: a server that got all of it still cannot have taken it
      DataSection section = writing;
      writing = null;
      section.finish();
    }
    // set before the end is written: from here on a break leaves it open whether the server has it
    endOfMessageSent = true;
    super.finishData();
  }

  @Override
  protected void finishBdat() throws IOException, MessagingException {
    endOfMessageSent = true;
    super.finishBdat();
  }

  @Override
  public synchronized void close() throws MessagingException {
    dataSection = null;
    writing = null;
    super.close();
  }
}
