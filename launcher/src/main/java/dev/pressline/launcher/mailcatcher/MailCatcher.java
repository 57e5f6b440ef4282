package dev.pressline.launcher.mailcatcher;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.util.List;

/**
 * A real SMTP server that keeps every message it receives in memory, so a newcomer sees the
 * newsletters without configuring a mail provider. GreenMail accepts mail for any address.
 */
public final class MailCatcher implements AutoCloseable {

  private final GreenMail greenMail;

  private MailCatcher(GreenMail greenMail) {
    this.greenMail = greenMail;
  }

  public static MailCatcher start(int smtpPort) {
    ServerSetup setup = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    GreenMail greenMail = new GreenMail(smtpPort == 0 ? setup.dynamicPort() : setup);
    greenMail.start();
    return new MailCatcher(greenMail);
  }

  public int smtpPort() {
    return greenMail.getSmtp().getPort();
  }

  /** Received messages, oldest first. */
  public List<MimeMessage> messages() {
    return List.of(greenMail.getReceivedMessages());
  }

  @Override
  public void close() {
    greenMail.stop();
  }
}
