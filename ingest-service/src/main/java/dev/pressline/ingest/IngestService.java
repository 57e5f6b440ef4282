package dev.pressline.ingest;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.EventJson;
import dev.pressline.events.PostEvent;
import dev.pressline.ingest.catalogue.Catalogue;
import dev.pressline.ingest.http.HealthServer;
import dev.pressline.ingest.http.HealthServer.Health;
import dev.pressline.ingest.claim.ClaimSettings;
import dev.pressline.ingest.claim.InboxClaims;
import dev.pressline.ingest.claim.InstanceIdInUseException;
import dev.pressline.ingest.media.LocalMediaAttacher;
import dev.pressline.ingest.media.MediaStore;
import dev.pressline.ingest.process.FileProcessor;
import dev.pressline.ingest.process.Outcome;
import dev.pressline.ingest.outcome.OutcomeEvents;
import dev.pressline.ingest.process.OutcomeMetrics;
import dev.pressline.ingest.process.ProcessingListener;
import dev.pressline.ingest.publish.BackgroundSender;
import dev.pressline.ingest.publish.KafkaPostSink;
import dev.pressline.ingest.watch.InboxWatcher;
import dev.pressline.support.health.Liveness;
import dev.pressline.support.health.StallWatch;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaUnavailableException;
import dev.pressline.support.kafka.TopicFollower;
import dev.pressline.support.kafka.TopicMisconfiguredException;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.metrics.ServiceMetrics;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ingest-service, running: the health endpoint at once, then (on its own thread, retrying while Kafka
 * cannot be reached) the topics, the catalogue rebuilt from {@code posts}, and the inbox watcher. No
 * file is taken before the catalogue has caught up, so duplicates and updates are recognised after a
 * restart on an empty disk too.
 */
public final class IngestService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

  private final IngestConfig config;
  private final Clock clock;
  private final ServiceMetrics metrics = new ServiceMetrics("ingest-service");
  private final ProcessingListener listener;
  private final EventJson json = new EventJson();
  private final Catalogue catalogue = new Catalogue();
  private final KafkaPostSink sink;
  private final OutcomeEvents outcomeEvents;
  private final HealthServer health;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final StallWatch inboxWatch;
  private final StallWatch followerWatch;
  private final Liveness liveness;
  private final Thread starter;
  private volatile TopicFollower<PostEvent> follower;
  private volatile InboxWatcher watcher;
  private final ClaimSettings claimSettings;
  private volatile InboxClaims claims;
  private volatile FileProcessor processor;
  private volatile BackgroundSender sender;
  private final CompletableFuture<RuntimeException> refusal = new CompletableFuture<>();
  private volatile String startProblem;
  private volatile boolean closing;

  private IngestService(IngestConfig config, ClaimSettings claimSettings, Clock clock, ProcessingListener listener) {
    this.config = requireNonNull(config, "config");
    this.claimSettings = requireNonNull(claimSettings, "claimSettings");
    this.clock = requireNonNull(clock, "clock");
    this.inboxWatch = new StallWatch("the inbox thread", clock, config.stallLimit());
    this.followerWatch = new StallWatch("the posts follower", clock, config.stallLimit());
    this.outcomeEvents = new OutcomeEvents(config.kafka(), metrics.registry(), clock,
        progressOf(inboxWatch, requireNonNull(listener, "listener")));
    this.listener = new OutcomeMetrics(metrics.registry(), outcomeEvents);
    this.liveness = new Liveness(List.of(
        new Liveness.Part("the inbox thread", () -> {
          InboxWatcher w = watcher;
          return w == null || w.isRunning();
        }, inboxWatch),
        // while starting, a follower that did not catch up is closed and replaced: only a stall counts then
        new Liveness.Part("the posts follower", () -> ready.getCount() > 0 || follower.isRunning(), followerWatch)));
    Gauge.builder("ingest.ready", ready, latch -> latch.getCount() == 0 ? 1 : 0)
        .description("1 once the catalogue is rebuilt from the posts topic and the inbox is watched")
        .register(metrics.registry());
    Gauge.builder("ingest.up", this, service -> service.health().up() ? 1 : 0)
        .description("1 while posts are taken; 0 while files wait (Kafka unreachable, or starting)")
        .strongReference(true)
        .register(metrics.registry());
    Gauge.builder("ingest.catalogue.posts", catalogue, Catalogue::size)
        .description("slugs ingest knows, including retracted ones")
        .register(metrics.registry());
    this.sink = new KafkaPostSink(config.kafka(), json);
    this.health = new HealthServer(config.http(), config.port(), this::health, metrics.handler());
    this.startProblem = "starting: connecting to Kafka at " + config.kafka().bootstrapServers();
    this.starter = new Thread(this::startUp, "ingest-start");
    this.starter.setDaemon(true);
  }

  /** Starts the service with the system clock. */
  public static IngestService start(IngestConfig config) {
    return start(config, Clock.systemUTC(), ProcessingListener.NONE);
  }

  /** Starts the service with the system clock, sharing the inbox with other instances as {@code claims} says. */
  public static IngestService start(IngestConfig config, ClaimSettings claims) {
    return start(config, claims, Clock.systemUTC(), ProcessingListener.NONE);
  }

  /** Starts the service; {@code listener} hears about every file (tests use it). */
  public static IngestService start(IngestConfig config, Clock clock, ProcessingListener listener) {
    return start(config, ClaimSettings.single(), clock, listener);
  }

  /** Starts the service; {@code listener} hears about every file (tests use it). */
  public static IngestService start(IngestConfig config, ClaimSettings claims, Clock clock,
      ProcessingListener listener) {
    config.folders().create();
    IngestService service = new IngestService(config, claims, clock, listener);
    service.health.start();
    service.starter.start();
    log.info("ingest-service: health on port {}; inbox {}", service.health.port(), config.folders().inbox().toAbsolutePath());
    return service;
  }

  /** Waits until files are being taken from the inbox. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Completes, with the reason, if the service gave up starting: its topics are unsafe to use
   * ({@code TopicMisconfiguredException}), or another live instance shares the inbox under its id
   * ({@link InstanceIdInUseException}).
   */
  public CompletableFuture<RuntimeException> refusal() {
    return refusal;
  }

  public int healthPort() {
    return health.port();
  }

  public IngestConfig config() {
    return config;
  }

  private void startUp() {
    Duration backoff = Duration.ofMillis(500);
    while (!closing) {
      try {
        new TopicSetup(config.kafka()).ensureTopics();
        TopicFollower<PostEvent> f =
            new TopicFollower<>(config.kafka(), config.kafka().topics().posts(),
                JsonSerde.deserializer(json, PostEvent.class),
                (slug, event) -> {
                  if (event == null) {
                    catalogue.forget(slug);
                  } else {
                    catalogue.apply(event);
                  }
                },
                followerWatch);
        startProblem = "starting: reading the posts topic to remember what was published";
        synchronized (this) {
          if (closing) {
            return;
          }
          follower = f.start();
        }
        if (f.awaitCaughtUp(CATCH_UP_TIMEOUT)) {
          break;
        }
        f.close();
        startProblem = "cannot read the posts topic on " + config.kafka().bootstrapServers();
      } catch (KafkaUnavailableException e) {
        startProblem = "Kafka at " + config.kafka().bootstrapServers() + " cannot be reached";
      } catch (TopicMisconfiguredException e) {
        // waiting does not mend a topic with too few replicas: give up, and say why
        refuse(e);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      log.warn("{}; files wait in the inbox. Trying again in {} s", startProblem, backoff.toSeconds());
      try {
        Thread.sleep(backoff.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Duration doubled = backoff.multipliedBy(2);
      backoff = doubled.compareTo(config.retryBackoffMax()) > 0 ? config.retryBackoffMax() : doubled;
    }
    try {
      InboxClaims.ensureIdFree(config.folders().inbox(), claimSettings, clock);
    } catch (InstanceIdInUseException e) {
      refuse(e);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    // close() may run at any moment: a processor and watcher are made only if close() will also see them
    synchronized (this) {
      if (closing) {
        return;
      }
      log.info("Catalogue rebuilt from {}: {} post(s) known", config.kafka().topics().posts(), catalogue.size());
      sender = new BackgroundSender(sink);
      processor = new FileProcessor(config, catalogue, sender,
          new LocalMediaAttacher(config, new MediaStore(config.folders().media()), clock), clock, listener);
      claims = InboxClaims.open(config.folders().inbox(), claimSettings, clock);
      watcher = new InboxWatcher(config, processor, clock, inboxWatch, claims).start();
    }
    startProblem = null;
    ready.countDown();
  }

  /** Gives up starting for a reason waiting cannot mend: logs it, shows it on the health pages, ends main. */
  private void refuse(RuntimeException reason) {
    log.error("ingest-service refuses to start: {}", reason.getMessage());
    startProblem = "refused to start: " + reason.getMessage();
    refusal.complete(reason);
  }

  /**
   * Each file done with is progress of the inbox thread: a look that takes thousands of files is not a
   * stall, one file that never gets done is.
   */
  private static ProcessingListener progressOf(StallWatch inbox, ProcessingListener listener) {
    return new ProcessingListener() {
      @Override
      public void acknowledged(PostEvent event, Path file) {
        listener.acknowledged(event, file);
      }

      @Override
      public void finished(Outcome outcome) {
        inbox.working(InboxWatcher.TAKING);
        listener.finished(outcome);
      }
    };
  }

  private Health health() {
    String problem = startProblem;
    if (refusal.isDone()) {
      // not alive either: nothing in this process will ever take a file
      return new Health(false, false, problem);
    }
    Optional<String> dead = liveness.problem();
    if (dead.isPresent()) {
      // stopped or stuck: neither comes back by itself, and no file is taken meanwhile
      return new Health(false, false, dead.get());
    }
    if (problem != null) {
      // still starting (or waiting for Kafka): not ready, but alive
      return new Health(false, true, problem);
    }
    InboxWatcher w = watcher;
    String kafka = w == null ? null : w.kafkaProblem();
    if (kafka != null) {
      return new Health(false, true, kafka);
    }
    InboxClaims c = claims;
    Optional<String> twin = c == null ? Optional.empty() : c.sharedWith();
    if (twin.isPresent()) {
      return new Health(false, true, "takes no file: another instance (" + twin.get() + ") uses the same "
          + ClaimSettings.INSTANCE_ID);
    }
    return new Health(true, true, catalogue.size() + " post(s) in the catalogue");
  }

  @Override
  public void close() {
    synchronized (this) {
      closing = true;
    }
    starter.interrupt();
    if (watcher != null) {
      watcher.close();
    }
    // once the inbox thread has stopped: the files this instance still holds go back to the others
    if (claims != null) {
      claims.close();
    }
    if (processor != null) {
      processor.close();
    }
    if (sender != null) {
      sender.close();
    }
    if (follower != null) {
      follower.close();
    }
    sink.close();
    outcomeEvents.close();
    health.close();
    metrics.close();
    log.info("ingest-service stopped");
  }
}
