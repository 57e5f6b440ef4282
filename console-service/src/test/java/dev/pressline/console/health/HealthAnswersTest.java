package dev.pressline.console.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The services' health answers, read into the words the Health page shows. */
class HealthAnswersTest {

  private final HealthAnswers answers = new HealthAnswers();

  @Test
  void thePublishersFiguresBecomeNamedChecks() {
    Answer a = answers.read(200, "{\"status\":\"UP\",\"confirmedSubscribers\":30,\"posts\":2,"
        + "\"fanOutRunning\":true,\"mailerRunning\":false,\"mailerPartitions\":[0,1,2]}", true);
    assertThat(a.ok()).isTrue();
    assertThat(a.state()).isEqualTo("ready");
    assertThat(a.message()).isEmpty();
    assertThat(a.checks()).containsExactly(
        new Check("confirmed subscribers", "30", true),
        new Check("posts", "2", true),
        new Check("fan-out", "running", true),
        new Check("mailer", "stopped", false),
        new Check("mailer partitions", "0, 1, 2", true));
  }

  @Test
  void aReasonOrDetailIsTheMessageAndTheServiceNameIsNotACheck() {
    Answer ingest = answers.read(503, "{\"service\":\"ingest-service\",\"status\":\"DOWN\","
        + "\"detail\":\"Kafka is not reachable\"}\n", true);
    assertThat(ingest.ok()).isFalse();
    assertThat(ingest.state()).isEqualTo("not ready");
    assertThat(ingest.message()).isEqualTo("Kafka is not reachable");
    assertThat(ingest.checks()).isEmpty();
    Answer feed = answers.read(503, "{\"status\":\"STOPPED\",\"service\":\"feed\","
        + "\"reason\":\"the site refresher has stopped; restart the service\"}", false);
    assertThat(feed.state()).isEqualTo("stopped: needs a restart");
    assertThat(feed.message()).isEqualTo("the site refresher has stopped; restart the service");
  }

  @Test
  void plainTextIsTakenAsTheMessage() {
    Answer a = answers.read(200, "alive\n", false);
    assertThat(a.state()).isEqualTo("alive");
    assertThat(a.message()).as("not said twice").isEmpty();
    Answer console = answers.read(200, "ready: the topics are read\n", true);
    assertThat(console.state()).isEqualTo("ready");
    assertThat(console.message()).isEqualTo("the topics are read");
    Answer odd = answers.read(404, "Not found\n", true);
    assertThat(odd.ok()).isFalse();
    assertThat(odd.state()).isEqualTo("not ready");
    assertThat(odd.message()).isEqualTo("HTTP 404 Not found");
  }

  @Test
  void aRefusedConnectionIsSaidSo() {
    assertThat(ServiceHealth.failure(new CompletionException(new ConnectException())))
        .isEqualTo("connection refused");
  }
}
