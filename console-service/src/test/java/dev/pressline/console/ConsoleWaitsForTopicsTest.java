package dev.pressline.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.EventJson;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.kafka.TopicSetup;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console started on a cluster where none of its topics exist yet: it says it waits, creates
 * none of them, and reads the posts once another client (the services that own the topics) has
 * created them.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ConsoleWaitsForTopicsTest {

  private static final String TOKEN = "topic-wait-test-admin-token";

  private ConsoleService console;

  @Test
  void waitsForItsTopicsCreatesNoneAndShowsPostsOnceTheyExist(KafkaBroker broker, @TempDir Path state)
      throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    Map<String, String> s = new HashMap<>();
    s.put("PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    s.put("PRESSLINE_TOPIC_PREFIX", kafka.topics().prefix());
    s.put("PRESSLINE_DELIVERIES_PARTITIONS", String.valueOf(kafka.deliveriesPartitions()));
    s.put("PRESSLINE_STATE_DIR", state.toString());
    s.put("PRESSLINE_ADMIN_TOKEN", TOKEN);
    s.put(ConsoleConfig.PORT, "0");
    try (Admin admin = Admin.create(ClientProperties.admin(kafka, "topic-wait-test"));
        ConsoleService started = ConsoleService.start(ConsoleConfig.from(Settings.of(s)))) {
      console = started;
      String posts = kafka.topics().posts();

      HttpResponse<String> health = get("/health/ready", null);
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).startsWith("starting: waiting for topic " + posts)
          .contains(kafka.topics().deliveryLog()).contains("does not exist yet");
      String cookie = signIn();
      HttpResponse<String> page = get("/", cookie);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Waiting for topic <code>" + posts + "</code>: it does not exist yet.");
      HttpResponse<String> retry = post("/posts/any/retry", cookie, "csrf=" + csrfOf(page.body()));
      assertThat(retry.statusCode()).as("no write while a topic is missing").isEqualTo(503);

      await("the console creates none of its topics while it waits").during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(250))
          .until(() -> topicsOf(admin, kafka).isEmpty());

      // the services that own the topics create them; one of them writes a post
      new TopicSetup(kafka).ensureTopics();
      Instant now = Instant.now();
      try (KafkaProducer<String, PostEvent> producer = new KafkaProducer<>(
          ClientProperties.producer(kafka, "topic-wait-test"), new StringSerializer(),
          JsonSerde.serializer(new EventJson()))) {
        producer.send(new ProducerRecord<>(posts, "late-news", PostEvent.builder()
            .change(PostChange.PUBLISHED).slug("late-news").title("Late news").author("Editor")
            .summary("A summary.").html("<p>Hello.</p>").text("Hello.").publishAt(now.minusSeconds(1))
            .tags(List.of("news")).email(false).contentHash("0".repeat(64)).sourceFile("late-news.md")
            .ingestedAt(now).build())).get(30, TimeUnit.SECONDS);
      }

      await("the console reads the topics once they exist").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> get("/health/ready", null).statusCode() == 200);
      HttpResponse<String> listed = get("/", cookie);
      assertThat(listed.body()).contains("Late news").doesNotContain("Waiting for topic");
      assertThat(get("/health/ready", null).body()).isEqualTo("ready: the topics are read\n");
    }
  }

  /** The topics of this test's prefix that exist on the broker. */
  private static Set<String> topicsOf(Admin admin, KafkaSettings kafka) throws Exception {
    Set<String> found = new TreeSet<>(admin.listTopics().names().get(10, TimeUnit.SECONDS));
    found.removeIf(name -> !name.startsWith(kafka.topics().prefix()));
    return found;
  }

  private String signIn() throws Exception {
    return ConsoleHttp.cookieOf(http().signIn(TOKEN));
  }

  private static String csrfOf(String html) {
    return ConsoleHttp.csrfOf(html);
  }

  private HttpResponse<String> get(String path, String cookie) throws Exception {
    return http().get(path, cookie);
  }

  private HttpResponse<String> post(String path, String cookie, String form) throws Exception {
    return http().post(path, cookie, form);
  }

  private ConsoleHttp http() {
    return new ConsoleHttp(console.localUrl());
  }
}
