package dev.pressline.publisher.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.angus.mail.util.WriteTimeoutSocket;

/**
 * Opens a session's plain-text SMTP connections as Angus would for it (the connect and read
 * timeouts, the write timeout on the session's shared timer, TCP_NODELAY), so the transport holds the
 * socket it writes each message's DATA section to (see {@link DataSection}). Sessions with TLS or
 * STARTTLS leave their connections to Angus: there the bytes must go through its TLS socket.
 */
final class PlainSmtpSockets {

  private final String host;
  private final int port;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final int writeTimeoutMillis;
  private final ScheduledExecutorService writeTimeouts;

  private PlainSmtpSockets(Properties props) {
    this.host = props.getProperty("mail.smtp.host", "localhost");
    this.port = Integer.parseInt(props.getProperty("mail.smtp.port", "25"));
    this.connectTimeoutMillis = millis(props, "mail.smtp.connectiontimeout");
    this.readTimeoutMillis = millis(props, "mail.smtp.timeout");
    this.writeTimeoutMillis = millis(props, "mail.smtp.writetimeout");
    this.writeTimeouts = props.get("mail.smtp.executor.writetimeout") instanceof ScheduledExecutorService timer
        ? timer : null;
  }

  /** Present for a session that sends over plain SMTP, as {@link SmtpSessions} makes it. */
  static Optional<PlainSmtpSockets> of(Session session) {
    Properties props = session.getProperties();
    boolean plain = "smtp".equals(props.getProperty("mail.transport.protocol", "smtp"))
        && !Boolean.parseBoolean(props.getProperty("mail.smtp.starttls.enable"))
        && !Boolean.parseBoolean(props.getProperty("mail.smtp.ssl.enable"));
    return plain ? Optional.of(new PlainSmtpSockets(props)) : Optional.empty();
  }

  /** A socket connected to the server, with the session's timeouts. */
  Socket open() throws MessagingException {
    Socket socket = new Socket();
    try {
      // with Nagle's algorithm every message on a reused connection waits for a delayed ACK
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      socket.setSoTimeout(readTimeoutMillis);
      if (writeTimeoutMillis <= 0) {
        return socket;
      }
      return writeTimeouts == null ? new WriteTimeoutSocket(socket, writeTimeoutMillis)
          : new WriteTimeoutSocket(socket, writeTimeoutMillis, writeTimeouts);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw new MessagingException("Couldn't connect to host, port: " + host + ", " + port
          + "; timeout " + connectTimeoutMillis, e);
    }
  }

  private static int millis(Properties props, String name) {
    String value = props.getProperty(name);
    return value == null ? 0 : Integer.parseInt(value);
  }
}
