package dev.pressline.ingest.process;

import static java.util.Objects.requireNonNull;

import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.claim.InboxClaims;
import dev.pressline.ingest.parse.FileNames;
import dev.pressline.ingest.parse.ParsedPost;
import dev.pressline.ingest.parse.PostParser;
import dev.pressline.ingest.parse.RejectedPostException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and parses complete files on a few threads of its own, ahead of the one thread that decides
 * and publishes them, and hands them back in the order given. Reading and parsing depend on nothing
 * but the file itself; everything that depends on what was published before (duplicates, slugs,
 * revisions) stays with the deciding thread.
 */
final class PostReader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostReader.class);
  /** Files read ahead per reading thread: keeps the threads busy, bounds the memory held by waiting posts. */
  private static final int AHEAD_PER_THREAD = 16;

  private final IngestConfig config;
  private final int threads;
  private final ExecutorService pool;
  /**
   * Threads that parse, one task per reading thread at a time. A post whose parsing outlasts the
   * time limit is rejected and its thread left to finish on its own (parsing cannot be interrupted):
   * the pool then starts another, so a stuck parse never holds up the posts behind it.
   */
  private final ThreadPoolExecutor parsing;
  /** The YAML loader inside a parser is not thread-safe: each parsing thread has a parser of its own. */
  private final ThreadLocal<PostParser> parsers;

  /**
   * A file as read and parsed, or what stopped that.
   *
   * @param ready the file as the inbox thread handed it over
   * @param name its path inside the inbox, as logs and receipts show it
   * @param bytes the file's content, or null when {@code problem} is set
   * @param post the parsed post, or null for a retraction marker or when {@code problem} is set
   * @param problem why the file cannot be taken ({@link RejectedPostException}) or read now ({@link IOException})
   * @param state the file as it was read, or null when {@code problem} is set
   */
  record Read(FileProcessor.Ready ready, String name, byte[] bytes, ParsedPost post, Exception problem, FileState state) {

    /** The file's bytes; throws what reading or parsing met. */
    byte[] content() throws IOException {
      if (problem instanceof IOException e) {
        throw e;
      }
      if (problem instanceof RejectedPostException e) {
        throw e;
      }
      return bytes;
    }
  }

  PostReader(IngestConfig config, int threads, Clock clock) {
    this.config = requireNonNull(config, "config");
    requireNonNull(clock, "clock");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    this.threads = threads;
    AtomicInteger count = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, task -> {
      Thread t = new Thread(task, "ingest-read-" + count.incrementAndGet());
      // a worker must never keep the JVM alive: the inbox thread owns the shutdown
      t.setDaemon(true);
      return t;
    });
    AtomicInteger parseCount = new AtomicInteger();
    this.parsing = new ThreadPoolExecutor(threads, Integer.MAX_VALUE, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
        task -> {
          Thread t = new Thread(task, "ingest-parse-" + parseCount.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.parsers = ThreadLocal.withInitial(() -> new PostParser(config.zone(), clock));
    // each of the first tasks starts a thread of its own: every parser is built while the service
    // starts, not when the first post arrives and an editor waits for it
    for (int i = 0; i < threads; i++) {
      parsing.execute(parsers::get);
    }
  }

  /** As many reading threads as cores, at most four: parsing is pure CPU work. */
  static int defaultThreads() {
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  /** Starts reading {@code files}; the iterator returns them in that order, waiting for each as needed. */
  Ahead readAhead(List<FileProcessor.Ready> files) {
    return new Ahead(files);
  }

  /** Files being read ahead; closing it abandons those not yet taken. */
  final class Ahead implements Iterator<Read>, AutoCloseable {
    private final Iterator<FileProcessor.Ready> files;
    private final Deque<Future<Read>> reading = new ArrayDeque<>();

    private Ahead(List<FileProcessor.Ready> files) {
      this.files = files.iterator();
      topUp();
    }

    private void topUp() {
      while (reading.size() < threads * AHEAD_PER_THREAD && files.hasNext()) {
        FileProcessor.Ready ready = files.next();
        reading.add(pool.submit(() -> read(ready)));
      }
    }

    @Override
    public boolean hasNext() {
      return !reading.isEmpty();
    }

    @Override
    public Read next() {
      Future<Read> head = reading.poll();
      if (head == null) {
        throw new NoSuchElementException();
      }
      topUp();
      try {
        return head.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancelAll();
        throw new IllegalStateException("interrupted while reading inbox files", e);
      } catch (ExecutionException e) {
        // read() turns every exception into a Read; this is an Error (out of memory, a stack overflow)
        throw new IllegalStateException("reading an inbox file failed inside ingest-service", e.getCause());
      }
    }

    private void cancelAll() {
      for (Future<Read> f : reading) {
        f.cancel(false);
      }
      reading.clear();
    }

    @Override
    public void close() {
      cancelAll();
    }
  }

  /** Reads and parses one file; never throws an exception, so every file ends in a {@link Read}. */
  private Read read(FileProcessor.Ready ready) {
    Path file = ready.file();
    String name = nameInInbox(file);
    try {
      FileProcessor.checkStaysInInbox(file, config.folders().inbox());
      FileKind kind = FileKind.of(file);
      if (kind != FileKind.REGULAR) {
        // never opened: a named pipe would block this thread, and the inbox behind it, until written to
        throw new RejectedPostException(kind.reason());
      }
      if (!FileProcessor.handles(name)) {
        throw new RejectedPostException(
            "Only posts saved as plain text (.txt) or Markdown (.md) are taken; this is a ."
                + FileNames.extension(name) + " file. Audio (.mp3, .m4a) and images come beside their post.");
      }
      BasicFileAttributes before = FileState.attributes(file);
      byte[] bytes = bytes(file);
      FileState state = FileState.of(before, bytes);
      if (FileNames.extension(name).equals(FileProcessor.RETRACT_EXTENSION)) {
        return new Read(ready, name, bytes, null, null, state);
      }
      return new Read(ready, name, bytes, parse(name, bytes), null, state);
    } catch (RejectedPostException | IOException e) {
      return new Read(ready, name, null, null, e, null);
    } catch (RuntimeException e) {
      // a fault of ingest's own (a file system provider, say) costs this file a retry, not the inbox
      return new Read(ready, name, null, null, new IOException(e.toString(), e), null);
    }
  }

  /**
   * Parses the post within the time limit; a fault in the parser itself still ends in a reason the
   * editor can pass on.
   */
  private ParsedPost parse(String name, byte[] bytes) {
    Future<ParsedPost> parsed = parsing.submit(() -> parsers.get().parse(name, bytes));
    try {
      return parsed.get(config.parseTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      parsed.cancel(true);
      log.warn("Reading {} took longer than {}: it is rejected. Its thread ({} parsing threads now) stays busy until "
          + "the parser gives up on its own.", name, limit(), parsing.getPoolSize());
      throw new RejectedPostException("Reading this post took longer than the " + limit() + " a post may take "
          + "(PRESSLINE_INGEST_PARSE_TIMEOUT), so it was not published. Markdown with thousands of unclosed brackets, "
          + "‘<’ signs, emphasis marks or quotes inside each other is very slow to read: remove them, or save the text "
          + "as .txt.");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RejectedPostException rejected) {
        throw rejected;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      log.error("Parsing {} failed inside ingest-service", name, e.getCause());
      throw new RejectedPostException(
          "ingest-service could not read this file because of an error of its own (" + e.getCause()
              + "). Please pass the file on to whoever runs the pipeline.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      parsed.cancel(true);
      throw new IllegalStateException("interrupted while parsing " + name, e);
    }
  }

  private String limit() {
    Duration t = config.parseTimeout();
    return t.toMillis() % 1000 == 0 ? t.toSeconds() + " s" : t.toMillis() + " ms";
  }

  private byte[] bytes(Path file) throws IOException {
    long size = Files.size(file);
    if (size > config.maxPostBytes()) {
      throw new RejectedPostException(
          "The file is " + Receipts.bytes(size) + ", more than the " + Receipts.bytes(config.maxPostBytes())
              + " a post may have. Is it really the text of a post?");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes((int) config.maxPostBytes() + 1);
    }
  }

  /**
   * The file's path inside the inbox, {@code episode-12/post.md} or just {@code post.md}: what
   * identifies "the same file" for updates, and what receipts and logs show.
   */
  String nameInInbox(Path file) {
    // a file claimed by this instance keeps the name it had in the inbox
    Path relative = config.folders().inbox().relativize(InboxClaims.originalPath(config.folders().inbox(), file));
    StringBuilder name = new StringBuilder();
    for (Path part : relative) {
      if (!name.isEmpty()) {
        name.append('/');
      }
      name.append(part);
    }
    return name.toString();
  }

  /** Lets the files being read finish (whoever waits for one gets it), then stops the threads. */
  @Override
  public void close() {
    // a parse still running is either stuck (and uninterruptible) or has a reader waiting for it
    parsing.shutdown();
    pool.shutdown();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("Reading inbox files did not finish within 10 s of stopping");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
