package dev.pressline.reliability.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.reliability.process.FreePort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MailRecorderTest {

  @Test
  void aClientResetMidMessageIsCountedAndFailsNoWaitOfTheTest() throws Exception {
    try (MailRecorder mail = new MailRecorder(FreePort.pick())) {
      mail.start();
      // the client is killed while the test waits: Awaitility fails a wait with any exception another
      // thread leaves uncaught meanwhile
      CompletableFuture<Void> killedClient = CompletableFuture.runAsync(() -> resetMidMessage(mail.port()));
      await("the abrupt end counted").atMost(Duration.ofSeconds(10))
          .until(() -> mail.abruptConnections() == 1);
      killedClient.join();
      assertThat(mail.count()).isZero();
    }
  }

  private static void resetMidMessage(int port) {
    try {
      Thread.sleep(300);
      try (Socket client = new Socket("127.0.0.1", port)) {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = client.getOutputStream();
        assertThat(in.readLine()).startsWith("220");
        for (String command : new String[] {"HELO killed.example", "MAIL FROM:<news@example.org>",
            "RCPT TO:<reader@example.org>", "DATA"}) {
          out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          assertThat(in.readLine()).as(command).matches("[23]\\d\\d.*");
        }
        out.write("Subject: half a message\r\n\r\nthe mailer is killed here".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // a reset, as the kernel sends for a process killed mid-message
        client.setSoLinger(true, 0);
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
