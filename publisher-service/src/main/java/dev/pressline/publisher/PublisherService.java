package dev.pressline.publisher;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.EventJson;
import dev.pressline.events.PostEvent;
import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.catalogue.PostCatalogue;
import dev.pressline.publisher.delivery.Delivery;
import dev.pressline.publisher.delivery.Mailer;
import dev.pressline.publisher.deliverylog.DeliveryLogView;
import dev.pressline.publisher.deliverylog.DeliveryLogWriter;
import dev.pressline.publisher.deliverylog.DeliveryReports;
import dev.pressline.publisher.deliverylog.PostReport;
import dev.pressline.publisher.fanout.FanOut;
import dev.pressline.publisher.http.AdminActions;
import dev.pressline.publisher.http.PublisherHttp;
import dev.pressline.publisher.metrics.PublisherMetrics;
import dev.pressline.publisher.render.EmailRenderer;
import dev.pressline.publisher.render.MessageFactory;
import dev.pressline.publisher.smtp.DkimMessageSigner;
import dev.pressline.publisher.smtp.FailoverMailSender;
import dev.pressline.publisher.smtp.MailSender;
import dev.pressline.publisher.smtp.MessageSigner;
import dev.pressline.publisher.smtp.RateLimiter;
import dev.pressline.publisher.smtp.SmtpConfig;
import dev.pressline.publisher.smtp.SmtpMailSender;
import dev.pressline.publisher.smtp.SmtpSessions;
import dev.pressline.publisher.subscribe.BounceReports;
import dev.pressline.publisher.subscribe.SubscriberList;
import dev.pressline.publisher.subscribe.SubscriberWriter;
import dev.pressline.publisher.subscribe.Subscriptions;
import dev.pressline.publisher.token.Links;
import dev.pressline.publisher.token.SigningSecret;
import dev.pressline.publisher.token.TokenSigner;
import dev.pressline.support.health.Liveness;
import dev.pressline.support.health.StallWatch;
import dev.pressline.support.http.HttpServerBuilder;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.metrics.ServiceMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import dev.pressline.support.kafka.TopicFollower;
import dev.pressline.support.kafka.TopicSetup;
import jakarta.mail.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running publisher: follows posts, subscribers and the delivery log, fans new posts out to
 * confirmed subscribers, mails them, and serves subscribe/confirm/unsubscribe, admin and health
 * over HTTP. Several instances (also in one JVM) share the work through the Kafka consumer groups.
 */
public final class PublisherService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PublisherService.class);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(2);

  private final PublisherConfig config;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private ServiceMetrics serviceMetrics;
  private PublisherMetrics metrics;
  private SubscriberList subscriberList;
  private PostCatalogue catalogue;
  private TopicFollower<SubscriberEvent> subscriberFollower;
  private TopicFollower<PostEvent> postFollower;
  private DeliveryLogView logView;
  private Subscriptions subscriptions;
  private DeliveryReports reports;
  private FanOut fanOut;
  private Mailer mailer;
  private Server server;
  private Liveness liveness;
  private volatile boolean ready;

  private PublisherService(PublisherConfig config) {
    this.config = requireNonNull(config, "config");
  }

  /** Creates missing topics, starts everything, and returns once the publisher is running. */
  public static PublisherService start(PublisherConfig config) {
    return start(config, Clock.systemUTC());
  }

  static PublisherService start(PublisherConfig config, Clock clock) {
    PublisherService service = new PublisherService(config);
    try {
      service.startAll(clock);
      return service;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      service.close();
      throw new PublisherException("interrupted while starting", e);
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  private void startAll(Clock clock) throws InterruptedException {
    new TopicSetup(config.kafka()).ensureTopics();
    String instance = config.instanceId() != null ? config.instanceId() : UUID.randomUUID().toString().substring(0, 8);
    String clientPrefix = config.groupPrefix() + "-" + instance;
    EventJson json = new EventJson();
    serviceMetrics = own(new ServiceMetrics("publisher"));
    metrics = new PublisherMetrics(serviceMetrics.registry());

    TokenSigner tokens = new TokenSigner(SigningSecret.resolve(config.signingSecret(), config.stateDir()), clock);
    Links links = new Links(config.baseUrl(), tokens, config.confirmTokenTtl(), config.unsubscribeTokenTtl());

    StallWatch subscribersWatch = new StallWatch("the subscribers follower", clock, config.stallLimit());
    StallWatch postsWatch = new StallWatch("the posts follower", clock, config.stallLimit());
    StallWatch logWatch = new StallWatch("the delivery-log view", clock, config.stallLimit());
    StallWatch fanOutWatch = new StallWatch("the fan-out", clock, config.stallLimit());
    StallWatch mailerWatch = new StallWatch("the mailer", clock, config.stallLimit());
    StallWatch sendWatch = new StallWatch("the mailer's SMTP work", clock, config.stallLimit());
    // none of these parts comes back by itself; before the service is ready only a stall counts
    liveness = new Liveness(List.of(
        new Liveness.Part("the mailer", () -> !ready || mailer.isRunning(), mailerWatch),
        new Liveness.Part("the mailer's SMTP work", () -> !ready || mailer.isRunning(), sendWatch),
        new Liveness.Part("the fan-out", () -> !ready || fanOut.isRunning(), fanOutWatch),
        new Liveness.Part("the delivery-log view", () -> !ready || logView.isRunning(), logWatch),
        new Liveness.Part("the posts follower", () -> !ready || postFollower.isRunning(), postsWatch),
        new Liveness.Part("the subscribers follower", () -> !ready || subscriberFollower.isRunning(),
            subscribersWatch)));

    subscriberList = new SubscriberList();
    subscriberFollower = own(new TopicFollower<>(config.kafka(), config.kafka().topics().subscribers(),
        JsonSerde.deserializer(json, SubscriberEvent.class), subscriberList, subscribersWatch)).start();
    catalogue = new PostCatalogue();
    postFollower = own(new TopicFollower<>(config.kafka(), config.kafka().topics().posts(),
        JsonSerde.deserializer(json, PostEvent.class), catalogue, postsWatch)).start();
    logView = own(new DeliveryLogView(config.kafka(), clientPrefix + "-log", logWatch)).start();

    SubscriberWriter subscriberWriter = own(new SubscriberWriter(config.kafka(), clientPrefix + "-subscribers", clock));
    DeliveryLogWriter logWriter = own(new DeliveryLogWriter(config.kafka(), clientPrefix + "-log-writer", logView));
    reports = own(new DeliveryReports(logView, config.kafka(), clientPrefix + "-retry", clock));

    // each configured SMTP server gets its own session and connection pool; one rate limit covers all
    List<SmtpConfig> servers = config.smtp().perServer();
    Session session = SmtpSessions.create(servers.get(0));
    RateLimiter limiter = new RateLimiter(config.smtp().messagesPerSecond());
    List<MailSender> pools = new ArrayList<>();
    for (SmtpConfig server : servers) {
      pools.add(new SmtpMailSender(SmtpSessions.create(server), config.smtp().concurrency(), limiter,
          server.idleCheck()));
    }
    MailSender sender = own(pools.size() == 1 ? pools.get(0) : new FailoverMailSender(pools));
    EmailRenderer renderer = new EmailRenderer(config.publicBaseUrl(), config.identity());
    MessageFactory messages = new MessageFactory(session, config.identity(), clock);
    MessageSigner signer = config.dkim() == null ? MessageSigner.none() : DkimMessageSigner.load(config.dkim());
    List<MailSender> confirmationPools = new ArrayList<>();
    for (SmtpConfig server : servers) {
      confirmationPools.add(new SmtpMailSender(SmtpSessions.create(server), 1, new RateLimiter(0),
          server.idleCheck()));
    }
    MailSender confirmationSender = own(confirmationPools.size() == 1
        ? confirmationPools.get(0) : new FailoverMailSender(confirmationPools));
    subscriptions = own(new Subscriptions(subscriberList, subscriberWriter, tokens, links, renderer, messages, signer,
        confirmationSender, config.smtp(), clock));

    server = new HttpServerBuilder(config.http(), config.port()).build(new PublisherHttp(subscriptions, this::healthy,
        liveness::problem, this::status, serviceMetrics::scrape,
        new AdminActions(config.adminToken(), reports, new BounceReports(subscriberList, subscriberWriter)),
        config.subscribeLimitPerMinute(), clock, config.http()));
    try {
      server.start();
    } catch (Exception e) {
      throw new PublisherException("cannot start the HTTP server on port " + config.port() + ": " + e.getMessage(), e);
    }
    own(server::stop);

    // a named instance is a static group member: restarted under its name after a crash it takes
    // its partitions back at once, instead of waiting out the dead member's session (45 s)
    boolean staticMember = config.instanceId() != null;
    FanOut fanOutOfThisRun = own(new FanOut(config.kafka(), config.groupPrefix() + "-fanout",
        clientPrefix + "-fanout", staticMember, catalogue, subscriberList, logView, metrics, clock, fanOutWatch));
    // before the mailer reads the delivery log: a crashed predecessor's open fan-out transaction
    // would hide the log entries written after it, and a job could be sent again unnoted
    fanOutOfThisRun.fencePreviousRun();
    if (!subscriberFollower.awaitCaughtUp(CATCH_UP_TIMEOUT)
        || !postFollower.awaitCaughtUp(CATCH_UP_TIMEOUT)
        || !logView.awaitCaughtUp(CATCH_UP_TIMEOUT)) {
      throw new PublisherException("could not read the subscribers, posts and delivery-log topics within "
          + CATCH_UP_TIMEOUT.toSeconds() + " s from " + config.kafka().bootstrapServers());
    }
    Delivery delivery = new Delivery(logView, logWriter, catalogue, subscriberList, subscriberWriter, renderer,
        messages, signer, links, sender, config.smtp(), metrics, clock);
    // closed before the log writer and sender it uses (resources close in reverse order)
    mailer = own(new Mailer(config.kafka(), config.groupPrefix() + "-mailer", clientPrefix + "-mailer",
        staticMember, config.smtp().concurrency(), config.smtp().workersPerConnection(), delivery, logView, logWriter,
        mailerWatch, sendWatch))
        .start();
    fanOut = fanOutOfThisRun.start();
    if (!mailer.awaitRunning(CATCH_UP_TIMEOUT) || !fanOut.awaitRunning(CATCH_UP_TIMEOUT)) {
      throw new PublisherException("the mailer or the fan-out did not start; see the log above");
    }
    registerGauges(serviceMetrics.registry());
    ready = true;
    log.info("Publisher {} running: subscribe at {}/subscribe, health at http://localhost:{}/health, "
            + "{} subscribers and {} posts known, mail via {}",
        instance, config.baseUrl(), httpPort(), subscriberList.confirmedCount(), catalogue.size(), config.smtp());
  }

  private <T extends AutoCloseable> T own(T resource) {
    resources.push(resource);
    return resource;
  }

  private void registerGauges(MeterRegistry registry) {
    Gauge.builder("pressline.publisher.confirmed.subscribers", subscriberList::confirmedCount)
        .description("Subscribers who receive posts").register(registry);
    Gauge.builder("pressline.publisher.posts", catalogue::size).description("Posts in the catalogue").register(registry);
    Gauge.builder("pressline.publisher.mailer.partitions", this::mailerPartitions)
        .description("Partitions of deliveries this instance sends for").register(registry);
    Gauge.builder("pressline.publisher.up", () -> healthy() ? 1 : 0)
        .description("1 once caught up with its topics").register(registry);
  }

  /** Up once caught up with the topics, and only while fan-out and mailer still run. */
  private boolean healthy() {
    return ready && fanOut.isRunning() && mailer.isRunning();
  }

  private Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("confirmedSubscribers", subscriberList == null ? 0 : subscriberList.confirmedCount());
    status.put("posts", catalogue == null ? 0 : catalogue.size());
    status.put("fanOutRunning", fanOut != null && fanOut.isRunning());
    status.put("mailerRunning", mailer != null && mailer.isRunning());
    status.put("mailerPartitions", mailerPartitions());
    return status;
  }

  /** The HTTP port actually in use (useful when configured as 0). */
  public int httpPort() {
    return HttpServerBuilder.localPort(server);
  }

  /**
   * Records {@code email} as a confirmed subscriber (no confirmation mail) and returns once this
   * instance's subscriber list has it, so the next post includes it.
   */
  public void addConfirmedSubscriber(String email, String source) {
    try {
      subscriptions.addConfirmed(email, source);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublisherException("interrupted while adding subscriber " + email, e);
    }
  }

  /** How many partitions of {@code deliveries} this instance's mailer sends for right now. */
  int mailerPartitions() {
    return mailer == null ? 0 : mailer.assignedPartitions();
  }

  /** Confirmed addresses as this instance sees them. */
  public List<String> confirmedSubscribers() {
    return subscriberList.confirmed();
  }

  /** Where the newsletter of {@code slug} stands, from the delivery log. */
  public PostReport report(String slug) {
    return reports.report(slug);
  }

  /** The status of {@code email} as this instance sees it, or null when unknown. */
  public SubscriberStatus subscriberStatus(String email) {
    return subscriberList.get(email).map(SubscriberEvent::status).orElse(null);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ready = false;
    AutoCloseable resource;
    while ((resource = resources.poll()) != null) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("Stopping {} failed: {}", resource.getClass().getSimpleName(), e.getMessage());
      }
    }
    log.info("Publisher stopped");
  }
}
