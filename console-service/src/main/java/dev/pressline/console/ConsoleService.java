package dev.pressline.console;

import static java.util.Objects.requireNonNull;

import dev.pressline.console.health.ServiceHealth;
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
import dev.pressline.support.kafka.TopicSetup;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console, running: it reads posts, deliveries, the delivery log, subscribers and file
 * outcomes as one more reader (no consumer group, nothing committed, nothing written unless an
 * operator acts), and serves the pages. Stopping or slowing it changes nothing for the pipeline.
 */
public final class ConsoleService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsoleService.class);

  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private final Server server;

  private ConsoleService(ConsoleConfig config, Clock clock) throws Exception {
    KafkaSettings kafka = config.publisher().kafka();
    // the console may be the first part started on an empty cluster, as any service may
    new TopicSetup(kafka).ensureTopics();
    EventJson json = new EventJson();
    Catalogue catalogue = new Catalogue();
    FanOutSizes fanOuts = new FanOutSizes();
    Subscribers subscribers = new Subscribers();
    Inbox inbox = new Inbox();
    List<TopicFollower<?>> followers = List.of(
        own(new TopicFollower<>(kafka, kafka.topics().posts(), JsonSerde.deserializer(json, PostEvent.class),
            catalogue)),
        own(new TopicFollower<>(kafka, kafka.topics().deliveries(), JsonSerde.deserializer(json, DeliveryJob.class),
            fanOuts)),
        own(new TopicFollower<>(kafka, kafka.topics().subscribers(),
            JsonSerde.deserializer(json, SubscriberEvent.class), subscribers)),
        own(new TopicFollower<>(kafka, kafka.topics().fileOutcomes(),
            JsonSerde.deserializer(json, FileOutcome.class), inbox)));
    followers.forEach(TopicFollower::start);
    DeliveryLogView logView = own(new DeliveryLogView(kafka, "console-delivery-log")).start();
    DeliveryReports reports = own(new DeliveryReports(logView, kafka, "console", clock));
    ServiceHealth health = own(new ServiceHealth(config.services(), kafka, config.publisher().groupPrefix(), clock));
    DeliveryProgress progress = new DeliveryProgress(catalogue, fanOuts, reports, clock);
    ConsoleHandler handler = own(new ConsoleHandler(config,
        new ConsoleHandler.Parts(catalogue, progress, reports, subscribers, inbox, health,
            () -> logView.isCaughtUp() && followers.stream().allMatch(TopicFollower::isCaughtUp)),
        clock));
    server = new HttpServerBuilder(config.http(), config.port()).build(handler);
    server.start();
    owned.push(server::stop);
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
