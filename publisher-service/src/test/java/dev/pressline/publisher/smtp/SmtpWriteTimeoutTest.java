package dev.pressline.publisher.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server that accepts the message's start and then reads nothing more: the write must end at the
 * session's timeout (with the timer all connections share), and the connection's thread go on.
 */
class SmtpWriteTimeoutTest {

  @Test
  void aWriteTheServerNeverTakesEndsAtTheTimeout() throws Exception {
    CountDownLatch dataStarted = new CountDownLatch(1);
    try (ServerSocket server = new ServerSocket(0)) {
      Thread serverThread = new Thread(() -> serveUntilData(server, dataStarted), "stalling-smtp-server");
      serverThread.setDaemon(true);
      serverThread.start();
      SmtpConfig smtp = new SmtpConfig("127.0.0.1", server.getLocalPort(), null, null, SmtpSecurity.NONE, 1, 1, 0, 1,
          Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1));
      Session session = SmtpSessions.create(smtp);
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress("newsletter@example.org"));
      message.setRecipient(Message.RecipientType.TO, new InternetAddress("reader@example.org"));
      message.setSubject("large");
      // far more than the socket buffers of both ends hold, so the write has to wait for the server
      message.setText(("x".repeat(70) + "\r\n").repeat(400_000));

      long started = System.nanoTime();
      SendResult result;
      try (SmtpMailSender sender = new SmtpMailSender(session, 1, new RateLimiter(0))) {
        result = sender.send(message);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(dataStarted.await(0, TimeUnit.SECONDS)).as("the server saw DATA").isTrue();
      assertThat(result.kind()).isEqualTo(SendResult.Kind.TEMPORARY);
      assertThat(result.reply()).containsIgnoringCase("timeout");
      // the timeout is 1 s; without a write timeout the send would wait until the server closed
      assertThat(took).isLessThan(Duration.ofSeconds(20));
    }
  }

  /** Answers the SMTP dialogue up to DATA, then holds the connection open without reading. */
  private static void serveUntilData(ServerSocket server, CountDownLatch dataStarted) {
    try (Socket socket = server.accept()) {
      socket.setReceiveBufferSize(4096);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      out.write("220 stalling ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
      String line;
      while ((line = in.readLine()) != null) {
        String command = line.toUpperCase();
        if (command.startsWith("EHLO")) {
          out.write("250-stalling\r\n250 8BITMIME\r\n".getBytes(StandardCharsets.US_ASCII));
        } else if (command.startsWith("DATA")) {
          out.write("354 go on\r\n".getBytes(StandardCharsets.US_ASCII));
          dataStarted.countDown();
          Thread.sleep(30_000);
          return;
        } else if (command.startsWith("QUIT")) {
          out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
          return;
        } else {
          out.write("250 ok\r\n".getBytes(StandardCharsets.US_ASCII));
        }
      }
    } catch (Exception e) {
      // the client gave up and closed: the test looks at what the client saw
    }
  }
}
