package dev.pressline.console.web;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events: once a second every open stream gets the posts list, rendered on the server,
 * which the page's script puts in place. A stream whose last write has not gone out yet skips a
 * beat, so a slow browser holds up nobody; a closed one is dropped.
 */
final class EventStream implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  /** Open streams at most: a console has a handful of operators, not an audience. */
  static final int MAX_STREAMS = 32;

  private record Stream(Response response, Callback callback, AtomicBoolean writing) {}

  private final Supplier<String> postsFragment;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "console-events");
    t.setDaemon(true);
    return t;
  });

  EventStream(Supplier<String> postsFragment) {
    this.postsFragment = requireNonNull(postsFragment, "postsFragment");
    ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /** Starts a stream on this response; false when there are too many already. */
  boolean open(Response response, Callback callback) {
    if (streams.size() >= MAX_STREAMS) {
      return false;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream;charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Stream stream = new Stream(response, callback, new AtomicBoolean());
    streams.add(stream);
    write(stream, "retry: 3000\n\n");
    return true;
  }

  private void tick() {
    if (streams.isEmpty()) {
      return;
    }
    try {
      StringBuilder event = new StringBuilder("event: posts\n");
      postsFragment.get().lines().forEach(line -> event.append("data: ").append(line).append('\n'));
      event.append('\n');
      String text = event.toString();
      streams.forEach(s -> write(s, text));
    } catch (RuntimeException e) {
      // one bad moment (Kafka away while a report is made) must not end the ticking
      log.warn("Could not update the live posts list: {}", e.getMessage());
    }
  }

  private void write(Stream stream, String text) {
    if (!stream.writing().compareAndSet(false, true)) {
      return;
    }
    stream.response().write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)),
        Callback.from(() -> stream.writing().set(false), failure -> {
          streams.remove(stream);
          stream.callback().failed(failure);
        }));
  }

  int open() {
    return streams.size();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    for (Stream s : streams) {
      streams.remove(s);
      s.response().write(true, ByteBuffer.allocate(0), s.callback());
    }
  }
}
