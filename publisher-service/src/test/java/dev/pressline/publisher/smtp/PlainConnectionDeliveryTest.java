package dev.pressline.publisher.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Messages sent over a plain connection, whose DATA sections DataSection writes, reach a real SMTP
 * server whole: dots at the start of lines, lone line breaks, a body that looks like the end of the
 * message followed by another command, and a body several times the size of DataSection's buffer.
 */
class PlainConnectionDeliveryTest {

  @RegisterExtension
  final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @Test
  void messagesArriveWholeAndAloneOnOneReusedConnection() throws Exception {
    SmtpConfig smtp = new SmtpConfig("127.0.0.1", mail.getSmtp().getPort(), null, null, SmtpSecurity.NONE, 1, 1, 0,
        1, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10));
    Session session = SmtpSessions.create(smtp);
    List<String> bodies = List.of(
        ".starts with a dot\r\n..two dots\r\n.\r\nMAIL FROM:<intruder@example.org>\r\nRCPT TO:<victim@example.org>\r\n",
        "lone\nline\rbreaks\r\n",
        ("." + "x".repeat(70) + "\r\n").repeat(3_000));
    try (SmtpMailSender sender = new SmtpMailSender(session, 1, new RateLimiter(0))) {
      for (int i = 0; i < bodies.size(); i++) {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("newsletter@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("reader@example.org"));
        message.setSubject("message " + i);
        message.setText(bodies.get(i), "US-ASCII");
        message.setHeader("Content-Transfer-Encoding", "7bit");
        SendResult result = sender.send(message);
        assertThat(result.kind()).as("message %d: %s", i, result.reply()).isEqualTo(SendResult.Kind.ACCEPTED);
      }
    }

    MimeMessage[] received = mail.getReceivedMessages();
    assertThat(Arrays.stream(received).map(m -> {
      try {
        return m.getSubject();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    })).containsExactly("message 0", "message 1", "message 2");
    assertThat(mail.getReceivedMessagesForDomain("example.org")).hasSize(3);
    assertThat(GreenMailUtil.getBody(received[0])).isEqualTo(bodies.get(0).stripTrailing());
    assertThat(GreenMailUtil.getBody(received[1])).isEqualTo("lone\r\nline\r\nbreaks");
    assertThat(GreenMailUtil.getBody(received[2])).isEqualTo(bodies.get(2).stripTrailing());
  }
}
