package dev.pressline.reliability.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.io.SyndFeedInput;
import dev.pressline.events.EventJson;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.reliability.process.Http;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import jakarta.mail.internet.MimeMessage;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Script injection through post content, title and front matter into email, feed and pages, and
 * header injection through titles, authors and addresses: each attack goes in through the real
 * entrance (the inbox, the posts topic, the subscribe form) and is looked for at every exit.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InjectionAttackTest {

  private static final String READER = "reader-xss@example.org";
  private static final String VICTIM = "victim@example.org";
  /** A real tag; escaped text such as {@code &lt;script&gt;} does not match and cannot run. */
  private static final Pattern TAG = Pattern.compile("<\\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>");
  private static final Pattern HANDLER_OR_SCRIPT_URL =
      Pattern.compile("(^|[\\s\"'/])on[a-z]+\\s*=|(javascript|vbscript)\\s*:", Pattern.CASE_INSENSITIVE);
  /** Tags that run code or load active content; pages may legitimately carry forms, styles and links. */
  private static final Set<String> ACTIVE_TAGS = Set.of("script", "iframe", "object", "embed", "svg", "math", "frame", "base");

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

  private Path root;
  private RunningPipeline pipeline;
  private Mailbox mailbox;
  private final Http http = new Http();

  @BeforeAll
  void start(KafkaBroker broker, @TempDir Path tempDir) throws Exception {
    root = tempDir;
    pipeline = new RunningPipeline(broker.freshSettings(), smtp.getSmtp().getPort(), root, Map.of());
    pipeline.publisher.addConfirmedSubscriber(READER, "test");
    mailbox = new Mailbox(smtp);
  }

  @AfterAll
  void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void scriptsInAPostNeverRunInMailFeedOrPages() throws Exception {
    pipeline.drop("xss.md", """
        ---
        title: 'Breaking <script>alert("t")</script> & <b>bold</b>'
        slug: breaking-xss
        author: '<img src=x onerror=alert("a")>'
        summary: '<svg onload=alert("s")> summary'
        tags: ['<script>alert("tag")</script>', 'news']
        ---
        Hello <script>alert("b")</script> world.

        <iframe src="https://attacker.example/"></iframe>
        <a href="javascript:alert('l')">a link</a> <img src="x" onerror="alert('i')">
        <div style="background:url(javascript:alert('c'))" onclick="alert('d')">styled</div>

        [markdown link](javascript:alert('m')) and ![image](javascript:alert('n'))

        <svg><script>alert('svg')</script></svg><math><mi xlink:href="javascript:alert('x')">x</mi></math>
        """);
    assertThat(pipeline.processed.resolve("xss.md")).as("the post was taken, sanitised").exists();

    int feedPort = pipeline.feed.httpPort();
    await("the post reaches the feed").atMost(Duration.ofSeconds(30))
        .until(() -> http.get(feedPort, "/feed.xml").body().contains("breaking-xss"));
    String page = http.get(feedPort, "/posts/breaking-xss").body();
    assertInert("archive page", page);
    assertThat(page).as("the title is shown as text").contains("&lt;script&gt;alert(");
    assertInert("index page", http.get(feedPort, "/").body());

    String xml = http.get(feedPort, "/feed.xml").body();
    SyndEntry entry = new SyndFeedInput().build(new StringReader(xml)).getEntries().stream()
        .filter(e -> e.getLink().endsWith("/posts/breaking-xss")).findFirst().orElseThrow();
    for (SyndContent content : entry.getContents()) {
      assertInert("feed content:encoded", content.getValue());
    }
    // the item description is checked in summaryMarkupDoesNotRunInTheFeedDescription

    MimeMessage mail = mailbox.awaitOne(READER, "Breaking");
    assertThat(Mailbox.subject(mail)).isEqualTo("Breaking <script>alert(\"t\")</script> & <b>bold</b>");
    assertInert("email HTML", Mailbox.html(mail));
  }

  /**
   * Was a bug: feed-service's {@code FeedWriter} (about line 190) puts the plain-text summary into
   * the RSS {@code <description>} unescaped, typed {@code text/plain}; RSS readers treat the
   * description as HTML, so a summary such as {@code <svg onload=…>} becomes live markup there.
   */
  @Test
  void summaryMarkupDoesNotRunInTheFeedDescription() throws Exception {
    pipeline.drop("summary.md", "---\ntitle: Summary attack\nslug: summary-attack\n"
        + "summary: '<svg onload=alert(1)> <img src=x onerror=alert(2)>'\n---\nBody.\n");
    int feedPort = pipeline.feed.httpPort();
    await("the post reaches the feed").atMost(Duration.ofSeconds(30))
        .until(() -> http.get(feedPort, "/feed.xml").body().contains("summary-attack"));
    SyndEntry entry = new SyndFeedInput().build(new StringReader(http.get(feedPort, "/feed.xml").body())).getEntries()
        .stream().filter(e -> e.getLink().endsWith("/posts/summary-attack")).findFirst().orElseThrow();
    assertInert("feed description", entry.getDescription().getValue());
  }

  @Test
  void aTitleOrAuthorWithLineBreaksCannotAddMailHeaders() throws Exception {
    // straight onto the posts topic, as a buggy or compromised producer would write it: the
    // publisher must not trust ingest's own check
    Instant now = Instant.now();
    PostEvent evil = PostEvent.builder()
        .change(PostChange.PUBLISHED)
        .slug("header-injection")
        .title("Evil\r\nBcc: " + VICTIM + "\r\nX-Injected: title")
        .author("Eve\r\nX-Injected: author\r\nBcc: " + VICTIM)
        .summary("summary\r\nX-Injected: summary")
        .html("<p>body</p>")
        .text("body")
        .publishAt(now)
        .tags(List.of("a\r\nX-Injected: tag"))
        .email(true)
        .contentHash("0".repeat(64))
        .sourceFile("evil.md")
        .ingestedAt(now)
        .build();
    try (KafkaProducer<String, PostEvent> producer = new KafkaProducer<>(
        ClientProperties.producer(pipeline.kafka, "attacker"), new StringSerializer(), JsonSerde.serializer(new EventJson()))) {
      producer.send(new ProducerRecord<>(pipeline.kafka.topics().posts(), evil.slug(), evil)).get();
    }
    // a harmless post after it: once it is mailed, the evil one has had its chance
    pipeline.drop("after.txt", "After the attack\n\nNothing to see.\n");
    mailbox.awaitOne(READER, "After the attack");

    assertThat(mailbox.to(VICTIM)).as("mail to the Bcc smuggled in the title or author").isEmpty();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      assertThat(Collections.list(m.getAllHeaderLines()))
          .as("headers of %s", Mailbox.subject(m)).noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("x-injected"));
      assertThat(m.getHeader("Bcc")).isNull();
    }
    int feedPort = pipeline.feed.httpPort();
    String xml = http.get(feedPort, "/feed.xml").body();
    assertThat(new SyndFeedInput().build(new StringReader(xml)).getEntries()).as("the feed still parses").isNotEmpty();
    assertThat(http.status(feedPort, "/health")).isEqualTo(200);
  }

  @Test
  void addressesWithHeadersOrScriptsAreRefusedAtSubscribe() {
    String[] evil = {
        "a@example.org\r\nBcc: " + VICTIM, "a@example.org\nBcc: " + VICTIM, "a@example.org%0d%0aBcc:" + VICTIM,
        "\"a\r\nBcc: victim\"@example.org", "<script>alert(1)</script>@example.org", "a@example.org, " + VICTIM,
        "a@example.org;" + VICTIM, "a@localhost\u0000.example.org", "a@exa\u202emple.org"};
    for (String address : evil) {
      int status = http.send(HttpRequest.newBuilder(Http.uri(pipeline.publisher.httpPort(), "/subscribe"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("email=" + URLEncoder.encode(address, StandardCharsets.UTF_8)))
          .build()).statusCode();
      assertThat(status).as("subscribe %s", address.replace("\r", "\\r").replace("\n", "\\n")).isIn(400, 429);
    }
    assertThat(mailbox.to(VICTIM)).isEmpty();
  }

  private static void assertInert(String where, String html) {
    assertThat(html).as(where).isNotNull();
    Matcher tag = TAG.matcher(html);
    while (tag.find()) {
      assertThat(ACTIVE_TAGS).as("%s holds the active tag %s", where, tag.group())
          .doesNotContain(tag.group(1).toLowerCase(Locale.ROOT));
      assertThat(HANDLER_OR_SCRIPT_URL.matcher(tag.group(2)).find())
          .as("%s holds an event handler or script URL in %s", where, tag.group()).isFalse();
    }
  }
}
