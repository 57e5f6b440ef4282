package dev.pressline.console;

import static java.util.Objects.requireNonNull;

import dev.pressline.console.health.ServiceHealth;
import dev.pressline.console.topics.TopicWait;
import dev.pressline.console.view.Catalogue;
import dev.pressline.console.view.DeliveryProgress;
import dev.pressline.console.view.FanOutSizes;
import dev.pressline.console.view.Inbox;
import dev.pressline.console.view.Subscribers;
import dev.pressline.console.web.ConsoleHandler;
import dev.pressline.events.DeliveryJob;
import dev.pressline.events.EventJson;
import dev.pressline.events.FileOutcome;
import dev.pressline.events.PostEvent;
import dev.pressline.events.SubscriberEvent;
import dev.pressline.publisher.deliverylog.DeliveryLogView;
import dev.pressline.publisher.deliverylog.DeliveryReports;
import dev.pressline.support.http.HttpServerBuilder;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicFollower;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console, running: it reads posts, deliveries, the delivery log, subscribers and file
 * outcomes as one more reader (no consumer group, nothing committed, nothing written unless an
 * operator acts, no topic created), and serves the pages. Stopping or slowing it changes nothing for the pipeline.
 */
public final class ConsoleService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsoleService.class);
  /** How often the console asks whether a topic it waits for exists yet. */
  private static final Duration TOPIC_LOOK_EVERY = Duration.ofSeconds(1);

  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private final KafkaSettings kafka;
  private final Server server;

  private ConsoleService(ConsoleConfig config, Clock clock) throws Exception {
    this.kafka = config.publisher().kafka();
    // the console never creates a topic (the services that own them do): each reader starts once
    // its topic exists, and the pages say which ones it waits for until then
    TopicWait topics = new TopicWait(kafka, TOPIC_LOOK_EVERY);
    EventJson json = new EventJson();
    Catalogue catalogue = new Catalogue();
    FanOutSizes fanOuts = new FanOutSizes();
    Subscribers subscribers = new Subscribers();
    Inbox inbox = new Inbox();
    List<TopicFollower<?>> followers = List.of(
        follow(topics, kafka.topics().posts(), JsonSerde.deserializer(json, PostEvent.class), catalogue),
        follow(topics, kafka.topics().deliveries(), JsonSerde.deserializer(json, DeliveryJob.class), fanOuts),
        follow(topics, kafka.topics().subscribers(), JsonSerde.deserializer(json, SubscriberEvent.class),
            subscribers),
        follow(topics, kafka.topics().fileOutcomes(), JsonSerde.deserializer(json, FileOutcome.class), inbox));
    DeliveryLogView logView = own(new DeliveryLogView(kafka, "console-delivery-log"));
    topics.whenExists(kafka.topics().deliveryLog(), logView::start);
    // owned after the readers, so it stops first and starts no reader that is already closed
    own(topics).start();
    DeliveryReports reports = own(new DeliveryReports(logView, kafka, "console", clock));
    ServiceHealth health = own(new ServiceHealth(config.services(), kafka, config.publisher().groupPrefix(), clock));
    DeliveryProgress progress = new DeliveryProgress(catalogue, fanOuts, reports, clock);
    ConsoleHandler handler = own(new ConsoleHandler(config,
        new ConsoleHandler.Parts(catalogue, progress, reports, subscribers, inbox, health,
            topics::missing,
            () -> logView.isCaughtUp() && followers.stream().allMatch(TopicFollower::isCaughtUp)),
        clock));
    server = new HttpServerBuilder(config.http(), config.port()).build(handler);
    server.start();
    owned.push(server::stop);
  }

  /** A reader of {@code topic} that starts once the topic exists. */
  private <V> TopicFollower<V> follow(TopicWait topics, String topic, Deserializer<V> deserializer,
      TopicFollower.Handler<V> handler) {
    TopicFollower<V> follower = own(new TopicFollower<>(kafka, topic, deserializer, handler));
    topics.whenExists(topic, follower::start);
    return follower;
  }

  private <T extends AutoCloseable> T own(T part) {
    owned.push(part);
    return part;
  }

  /** Starts the console; the pages fill in as the topics are read. */
  public static ConsoleService start(ConsoleConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static ConsoleService start(ConsoleConfig config, Clock clock) {
    requireNonNull(config, "config");
    try {
      return new ConsoleService(config, clock);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the console could not start: " + e.getMessage(), e);
    }
  }

  public int httpPort() {
    return HttpServerBuilder.localPort(server);
  }

  /** This console's address on this machine. */
  public String localUrl() {
    return "http://localhost:" + httpPort();
  }

  /** Stops in reverse order of start: the server first, then the readers. */
  @Override
  public void close() {
    while (!owned.isEmpty()) {
      AutoCloseable next = owned.pop();
      try {
        next.close();
      } catch (Exception e) {
        log.warn("While stopping the console: {}", e.getMessage(), e);
      }
    }
    log.info("console-service stopped");
  }
}
