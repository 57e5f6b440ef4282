package dev.pressline.ingest.watch;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change notifications for the inbox folder, where the file system offers them, so the inbox thread
 * can look as soon as a file arrives instead of at the next poll. They only ever bring a look
 * forward: polling still finds everything, on network shares without notifications, in subfolders
 * (not watched) and after notifications the operating system dropped.
 */
final class InboxEvents implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InboxEvents.class);

  /** Null when the file system has no notifications: then waiting is plain waiting. */
  private final WatchService service;
  private final CountDownLatch closed = new CountDownLatch(1);

  private InboxEvents(WatchService service) {
    this.service = service;
  }

  /** Notifications for files created in, moved into or written in {@code inbox}, or none if unavailable. */
  static InboxEvents open(Path inbox) {
    WatchService service = null;
    try {
      service = inbox.getFileSystem().newWatchService();
      inbox.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    } catch (IOException | UnsupportedOperationException e) {
      log.info("No change notifications for {} ({}); the inbox is polled only", inbox, e.toString());
      closeQuietly(service);
      service = null;
    }
    return new InboxEvents(service);
  }

  /**
   * Waits until something changes in the inbox folder, {@code timeout} passes, or this is closed.
   *
   * @return whether a change ended the wait
   */
  boolean await(Duration timeout) throws InterruptedException {
    if (service == null) {
      closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return false;
    }
    try {
      WatchKey key = service.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (key == null) {
        return false;
      }
      // what changed does not matter, only that something did: the look that follows lists the inbox
      do {
        key.pollEvents();
        key.reset();
      } while ((key = service.poll()) != null);
      return true;
    } catch (ClosedWatchServiceException e) {
      return false;
    }
  }

  @Override
  public void close() {
    closed.countDown();
    closeQuietly(service);
  }

  private static void closeQuietly(WatchService service) {
    if (service == null) {
      return;
    }
    try {
      service.close();
    } catch (IOException e) {
      // nothing is lost: the notifications only ever brought looks forward
      log.debug("Closing the inbox notifications failed: {}", e.toString());
    }
  }
}
