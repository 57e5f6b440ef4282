package dev.pressline.publisher.smtp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and how the mailers send.
 *
 * @param host SMTP server host, or several as {@code host[:port],host[:port]} to share the load and fail over
 * @param port SMTP server port (for hosts given without one)
 * @param username login name, or null for no authentication
 * @param password password, or null
 * @param security none, STARTTLS or TLS
 * @param concurrency SMTP connections each mailer keeps open and uses at once
 * @param workersPerConnection threads per connection, at least: while one waits for Kafka to take its
 *     "handing to SMTP" entry, another uses the connection
 * @param inDoubtWindow messages per connection that may be handed to SMTP beyond the last one whose
 *     outcome is durable on Kafka; a hard kill can duplicate at most {@code inDoubtWindow × concurrency}
 * @param messagesPerSecond most messages one mailer hands to SMTP per second; 0 means no limit
 * @param maxAttempts tries for a temporary failure (4xx, connection) before the delivery counts as failed
 * @param retryBackoff wait before the first retry; doubles with each further try
 * @param maxRetryBackoff the longest wait between two tries
 * @param timeout connect and read timeout of one SMTP conversation
 * @param idleCheck a pooled connection unused for longer than this is checked with a NOOP before it
 *     carries a message: servers close idle connections
 */
public record SmtpConfig(
    String host,
    int port,
    String username,
    String password,
    SmtpSecurity security,
    int concurrency,
    int workersPerConnection,
    int inDoubtWindow,
    int messagesPerSecond,
    int maxAttempts,
    Duration retryBackoff,
    Duration maxRetryBackoff,
    Duration timeout,
    Duration idleCheck) {

  /** Used where no setting says otherwise; see {@code PRESSLINE_MAIL_IN_DOUBT_WINDOW}. */
  public static final int DEFAULT_IN_DOUBT_WINDOW = 4;

  public SmtpConfig {
    if (inDoubtWindow < 1) {
      throw new IllegalArgumentException("inDoubtWindow must be at least 1: " + inDoubtWindow);
    }
    requireNonNull(host, "host");
    requireNonNull(idleCheck, "idleCheck");
    requireNonNull(security, "security");
    requireNonNull(retryBackoff, "retryBackoff");
    requireNonNull(maxRetryBackoff, "maxRetryBackoff");
    requireNonNull(timeout, "timeout");
  }

  /** With the default in-doubt window and idle check. */
  public SmtpConfig(String host, int port, String username, String password, SmtpSecurity security,
      int concurrency, int workersPerConnection, int messagesPerSecond, int maxAttempts, Duration retryBackoff,
      Duration maxRetryBackoff, Duration timeout) {
    this(host, port, username, password, security, concurrency, workersPerConnection, messagesPerSecond,
        maxAttempts, retryBackoff, maxRetryBackoff, timeout, SmtpMailSender.DEFAULT_IDLE_CHECK);
  }

  /** With the default in-doubt window. */
  public SmtpConfig(String host, int port, String username, String password, SmtpSecurity security,
      int concurrency, int workersPerConnection, int messagesPerSecond, int maxAttempts, Duration retryBackoff,
      Duration maxRetryBackoff, Duration timeout, Duration idleCheck) {
    this(host, port, username, password, security, concurrency, workersPerConnection, DEFAULT_IN_DOUBT_WINDOW,
        messagesPerSecond, maxAttempts, retryBackoff, maxRetryBackoff, timeout, idleCheck);
  }

  /** One configuration per server named in {@code host}, each with its own host and port. */
  public List<SmtpConfig> perServer() {
    List<SmtpConfig> servers = new ArrayList<>();
    for (String entry : host.split(",")) {
      String name = entry.strip();
      if (name.isEmpty()) {
        continue;
      }
      int colon = name.lastIndexOf(':');
      String serverHost = colon > 0 ? name.substring(0, colon) : name;
      int serverPort = colon > 0 ? Integer.parseInt(name.substring(colon + 1)) : port;
      servers.add(new SmtpConfig(serverHost, serverPort, username, password, security, concurrency,
          workersPerConnection, inDoubtWindow, messagesPerSecond, maxAttempts, retryBackoff, maxRetryBackoff, timeout,
          idleCheck));
    }
    return servers;
  }

  public boolean authenticates() {
    return username != null;
  }

  /** The wait before try number {@code attempt + 1}, after {@code attempt} failed tries. */
  public Duration backoffAfter(int attempt) {
    Duration wait = retryBackoff;
    for (int i = 1; i < attempt && wait.compareTo(maxRetryBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : wait;
  }

  @Override
  public String toString() {
    // the password must never reach a log line
    return "SmtpConfig[" + security.name().toLowerCase() + "://" + (username == null ? "" : username + "@")
        + host + ":" + port + ", concurrency=" + concurrency + ", workersPerConnection=" + workersPerConnection
        + ", inDoubtWindow=" + inDoubtWindow + ", messagesPerSecond=" + messagesPerSecond
        + ", maxAttempts=" + maxAttempts + "]";
  }
}
