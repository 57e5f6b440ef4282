package dev.pressline.reliability.chaos;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real SMTP server (GreenMail) that can be taken away and brought back on the same port. It keeps
 * only who got which subject and drains GreenMail's mailboxes as it goes, so even the full run's
 * million messages fit in memory.
 *
 * <p>GreenMail's connection threads end with an exception when a client goes away mid-conversation,
 * which a mailer killed by the chaos run does. Those threads run in a thread group of their own that
 * counts and prints such endings, so they never reach the default handler, where Awaitility would
 * report them as the failure of whatever the test is waiting for at that moment.
 */
public final class MailRecorder implements AutoCloseable {

  /** One received message, as the chaos checks need it. */
  public record Received(String to, String subject, String messageId) {}

  private final ServerSetup setup;
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private final ScheduledExecutorService drainer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mail-drainer");
    t.setDaemon(true);
    return t;
  });
  // every mail store ever used: GreenMail.stop() swaps in a fresh one, and a message being stored
  // while the server stops must still be counted
  private final List<Managers> stores = new ArrayList<>();
  private final AtomicInteger abruptConnections = new AtomicInteger();
  private final ThreadGroup serverThreads = new ThreadGroup("mail-recorder") {
    @Override
    public void uncaughtException(Thread thread, Throwable error) {
      abruptConnections.incrementAndGet();
      Throwable cause = error.getCause() == null ? error : error.getCause();
      System.err.println("SMTP connection ended abruptly (" + thread.getName() + "): " + cause);
    }
  };
  private GreenMail server;

  public MailRecorder(int port) {
    this.setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    drainer.scheduleWithFixedDelay(this::drainQuietly, 200, 200, TimeUnit.MILLISECONDS);
  }

  public int port() {
    return setup.getPort();
  }

  public synchronized void start() {
    GreenMail fresh = new GreenMail(setup);
    // GreenMail creates its server threads in start(), and each server thread its connection threads:
    // started from a thread of serverThreads, all of them belong to that group
    runInServerThreads(fresh::start);
    server = fresh;
    stores.add(server.getManagers());
  }

  /** Connections that ended with an error on the server's side, such as a client killed mid-message. */
  public int abruptConnections() {
    return abruptConnections.get();
  }

  private void runInServerThreads(Runnable action) {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread starter = new Thread(serverThreads, () -> {
      try {
        action.run();
      } catch (RuntimeException e) {
        failure.set(e);
      }
    }, "mail-recorder-start");
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the SMTP server", e);
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** Takes the server away: connections are refused until {@link #start()}. */
  public synchronized void stop() {
    server.stop();
    server = null;
    drain();
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  public int count() {
    drainQuietly();
    return count.get();
  }

  public List<Received> received() {
    drainQuietly();
    return new ArrayList<>(received);
  }

  private void drainQuietly() {
    try {
      drain();
    } catch (RuntimeException e) {
      // a message that cannot be read now is read at the next drain
    }
  }

  private synchronized void drain() {
    try {
      for (Managers store : stores) {
        drain(store);
      }
    } catch (FolderException | MessagingException e) {
      throw new IllegalStateException("cannot read the received mail", e);
    }
  }

  private void drain(Managers store) throws FolderException, MessagingException {
    for (GreenMailUser user : store.getUserManager().listUser()) {
      MailFolder inbox = store.getImapHostManager().getInbox(user);
      List<StoredMessage> messages = inbox.getMessages();
      try {
        for (StoredMessage stored : messages) {
          // recorded by an earlier drain that failed before its expunge: never counted twice
          if (stored.isSet(Flags.Flag.DELETED)) {
            continue;
          }
          MimeMessage m = stored.getMimeMessage();
          String to = ((InternetAddress) m.getAllRecipients()[0]).getAddress();
          received.add(new Received(to, m.getSubject(), m.getMessageID()));
          count.incrementAndGet();
          // only what was recorded here is deleted: a message arriving meanwhile stays for the next drain
          stored.setFlag(Flags.Flag.DELETED, true);
        }
      } finally {
        if (!messages.isEmpty()) {
          inbox.expunge();
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    drainer.shutdownNow();
    if (server != null) {
      server.stop();
    }
  }
}
