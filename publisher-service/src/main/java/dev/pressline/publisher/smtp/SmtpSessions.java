package dev.pressline.publisher.smtp;

import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Builds the Jakarta Mail session for an {@link SmtpConfig}; each setting with its reason. */
public final class SmtpSessions {

  private SmtpSessions() {}

  /** Jakarta Mail's own switch for which stream provider it uses; see {@link #create}. */
  private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

  /**
   * The timer that ends a write the server does not take within the timeout, one for all of a
   * session's connections. Without it Angus starts a timer thread for every connection it opens,
   * and each thread wakes for every write of every message (in the mail benchmark the eight timers
   * cost as much CPU as the delivery log's producer). A cancelled timeout leaves the queue at once,
   * and the thread ends after a minute without writes, so a session that is dropped leaves nothing
   * running.
   */
  private static ScheduledThreadPoolExecutor writeTimeouts() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "smtp-write-timeouts");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    timer.setKeepAliveTime(1, TimeUnit.MINUTES);
    timer.allowCoreThreadTimeOut(true);
    return timer;
  }

  public static Session create(SmtpConfig smtp) {
    // Jakarta Mail looks its stream provider up with a ServiceLoader scan of every jar for each body
    // part, multipart and encoding it makes, several per message: a sixth of the publisher's CPU in
    // the mail benchmark's profile. Naming the provider the scan would find (Angus, the only one on
    // the class path) turns the lookup into a class-name load. A value already set is left alone.
    if (System.getProperty(STREAM_PROVIDER) == null) {
      System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
    }
    String protocol = smtp.security() == SmtpSecurity.TLS ? "smtps" : "smtp";
    String p = "mail." + protocol + ".";
    Properties props = new Properties();
    props.put("mail.transport.protocol", protocol);
    props.put(p + "host", smtp.host());
    props.put(p + "port", String.valueOf(smtp.port()));
    String timeout = String.valueOf(smtp.timeout().toMillis());
    // a server that stops answering must not hold a mailer thread for ever
    props.put(p + "connectiontimeout", timeout);
    props.put(p + "timeout", timeout);
    props.put(p + "writetimeout", timeout);
    props.put(p + "executor.writetimeout", writeTimeouts());
    props.put(p + "auth", String.valueOf(smtp.authenticates()));
    if (smtp.security() == SmtpSecurity.STARTTLS) {
      props.put(p + "starttls.enable", "true");
      // never fall back to plain text when the server does not offer STARTTLS
      props.put(p + "starttls.required", "true");
    }
    // plain connections are opened by PlainSmtpSockets (TCP_NODELAY); TLS ones by Angus
    if (smtp.security() != SmtpSecurity.NONE) {
      props.put(p + "ssl.checkserveridentity", "true");
    }
    // the mail system's own 8-bit support is not needed: bodies are quoted-printable
    props.put("mail.mime.charset", "UTF-8");
    if (!smtp.authenticates()) {
      return Session.getInstance(props);
    }
    return Session.getInstance(props, new jakarta.mail.Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(smtp.username(), smtp.password() == null ? "" : smtp.password());
      }
    });
  }
}
