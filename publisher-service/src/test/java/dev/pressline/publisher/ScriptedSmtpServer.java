package dev.pressline.publisher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real SMTP server on loopback whose answer to RCPT TO is decided by the test, for the replies
 * GreenMail never gives: 4xx (try later) and 5xx (no such user). Accepted messages are counted
 * per recipient.
 */
final class ScriptedSmtpServer implements AutoCloseable {

  private final ServerSocket socket;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Function<String, String> rcptReply;
  private final Predicate<String> hangUpAfterData;
  private final Predicate<String> hangUpAtCommand;
  private final Duration idleTimeout;
  final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
  final List<String> rcptAttempts = new CopyOnWriteArrayList<>();
  /** The Message-ID of every message taken, per recipient, in the order taken. */
  final Map<String, List<String>> messageIds = new ConcurrentHashMap<>();
  /** Connections this server closed because the client said nothing for {@code idleTimeout}. */
  final AtomicInteger closedWhileIdle = new AtomicInteger();
  /** Connections this server closed at a command {@code hangUpAtCommand} picked. */
  final AtomicInteger hungUpAtCommand = new AtomicInteger();
  final AtomicInteger noops = new AtomicInteger();

  /** A reply that is no reply: the server closes the connection at that recipient instead. */
  static final String HANG_UP = "(hang up)";

  /**
   * {@code rcptReply} maps an address to the reply line, e.g. "250 OK" or "550 5.1.1 no such user", or
   * to {@link #HANG_UP}.
   */
  ScriptedSmtpServer(Function<String, String> rcptReply) throws IOException {
    this(rcptReply, address -> false);
  }

  /**
   * As above; for a recipient matching {@code hangUpAfterData} the message is taken (and counted)
   * but the connection is closed before the server's reply, as when a server crashes at that moment.
   */
  ScriptedSmtpServer(Function<String, String> rcptReply, Predicate<String> hangUpAfterData) throws IOException {
    this(rcptReply, hangUpAfterData, command -> false, null);
  }

  /**
   * As above; the server also closes the connection without a reply when {@code hangUpAtCommand}
   * picks a command line it has just read (MAIL FROM, RCPT TO, DATA …), and, as real servers do,
   * closes a connection on which the client said nothing for {@code idleTimeout} (null: never).
   */
  ScriptedSmtpServer(Function<String, String> rcptReply, Predicate<String> hangUpAfterData,
      Predicate<String> hangUpAtCommand, Duration idleTimeout) throws IOException {
    this.rcptReply = rcptReply;
    this.hangUpAfterData = hangUpAfterData;
    this.hangUpAtCommand = hangUpAtCommand;
    this.idleTimeout = idleTimeout;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  int port() {
    return socket.getLocalPort();
  }

  int acceptedFor(String email) {
    AtomicInteger count = accepted.get(email);
    return count == null ? 0 : count.get();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        threads.execute(() -> converse(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void converse(Socket client) {
    try (client;
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = client.getOutputStream()) {
      if (idleTimeout != null) {
        client.setSoTimeout((int) idleTimeout.toMillis());
      }
      reply(out, "220 scripted ESMTP");
      List<String> recipients = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        String upper = line.toUpperCase();
        if (hangUpAtCommand.test(upper)) {
          hungUpAtCommand.incrementAndGet();
          return;
        }
        if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
          reply(out, "250 scripted");
        } else if (upper.startsWith("MAIL FROM")) {
          recipients.clear();
          reply(out, "250 OK");
        } else if (upper.startsWith("RCPT TO")) {
          String address = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
          rcptAttempts.add(address);
          String answer = rcptReply.apply(address);
          if (answer.equals(HANG_UP)) {
            return; // the connection breaks before the message was even sent
          }
          if (answer.startsWith("2")) {
            recipients.add(address);
          }
          reply(out, answer);
        } else if (upper.equals("DATA")) {
          if (recipients.isEmpty()) {
            reply(out, "554 no valid recipients");
            continue;
          }
          reply(out, "354 go ahead");
          String messageId = null;
          boolean inHeaders = true;
          while ((line = in.readLine()) != null && !line.equals(".")) {
            // the message itself is not kept, only its Message-ID
            inHeaders &= !line.isEmpty();
            if (inHeaders && messageId == null && line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
              messageId = line.substring(11).strip();
            }
          }
          String id = messageId;
          recipients.forEach(r -> {
            accepted.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet();
            messageIds.computeIfAbsent(r, k -> new CopyOnWriteArrayList<>()).add(String.valueOf(id));
          });
          if (recipients.stream().anyMatch(hangUpAfterData)) {
            return;
          }
          reply(out, "250 2.0.0 queued");
        } else if (upper.equals("QUIT")) {
          reply(out, "221 bye");
          return;
        } else {
          if (upper.equals("NOOP")) {
            noops.incrementAndGet();
          }
          // RSET, NOOP and anything else
          recipients.clear();
          reply(out, "250 OK");
        }
      }
    } catch (SocketTimeoutException e) {
      // the client left the connection idle for too long: closed without a word, as many servers do
      closedWhileIdle.incrementAndGet();
    } catch (IOException e) {
      // client went away
    }
  }

  private static void reply(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    threads.shutdownNow();
  }
}
