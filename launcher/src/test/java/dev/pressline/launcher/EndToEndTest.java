package dev.pressline.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import dev.pressline.launcher.pipeline.RunningServices;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The three services together, on a real broker and a real SMTP server, fed the editors' samples. */
@ExtendWith(KafkaBrokerExtension.class)
class EndToEndTest {

  private static final List<String> SUBSCRIBERS =
      List.of("ana@example.org", "ben@example.net", "chloe@example.com");

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private final Seeds seeds = new Seeds();

  @Test
  void fiveSamplePostsReachTheFeedAndEachConfirmedSubscriberExactlyOnce(
      KafkaBroker broker, @TempDir Path data) throws Exception {
    PipelineUnderTest pipeline = new PipelineUnderTest(data, broker.freshSettings(), smtp.getSmtp().getPort());
    List<Path> posts = seeds.posts();

    try (RunningServices services = pipeline.start()) {
      for (String email : SUBSCRIBERS) {
        services.publisher().addConfirmedSubscriber(email, "test");
      }
      posts.forEach(post -> Seeds.drop(post, pipeline.layout.inbox()));

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(PipelineUnderTest.fileNames(pipeline.layout.processed()))
              .containsAll(posts.stream().map(p -> p.getFileName().toString()).toList()));
      int feedPort = services.feed().httpPort();
      SyndFeed feed = await().atMost(Duration.ofSeconds(30))
          .until(() -> parse(pipeline.get(feedPort, "/feed.xml")), f -> f.getEntries().size() == posts.size());
      List<String> titles = feed.getEntries().stream().map(SyndEntry::getTitle).toList();
      for (Path post : posts) {
        String firstLine = Seeds.firstLine(post);
        if (firstLine.length() <= 100) {
          assertThat(titles).contains(firstLine);
        }
      }
      assertThat(titles).allSatisfy(t -> assertThat(t).isNotBlank().hasSizeLessThanOrEqualTo(120).doesNotContain("\n"));
      assertThat(feed.getEntries()).extracting(SyndEntry::getLink).doesNotHaveDuplicates();

      await().atMost(Duration.ofSeconds(60))
          .until(() -> smtp.getReceivedMessages().length >= SUBSCRIBERS.size() * posts.size());
      // nothing more arrives: a duplicate would show up now, not later
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
          .until(() -> smtp.getReceivedMessages().length == SUBSCRIBERS.size() * posts.size());

      Map<String, List<MimeMessage>> byRecipient = byRecipient(smtp.getReceivedMessages());
      assertThat(byRecipient.keySet()).containsExactlyInAnyOrderElementsOf(SUBSCRIBERS);
      String quoted = firstTypographicQuote(Seeds.text(posts.get(0)));
      for (List<MimeMessage> mails : byRecipient.values()) {
        assertThat(mails).hasSize(posts.size());
        assertThat(mails.stream().map(EndToEndTest::subject).sorted().toList())
            .isEqualTo(titles.stream().sorted().toList());
        for (MimeMessage mail : mails) {
          assertThat(mail.isMimeType("multipart/alternative")).isTrue();
          if (mail.getSubject().equals(Seeds.firstLine(posts.get(0)))) {
            assertThat(part(mail, "text/plain")).contains(quoted);
            assertThat(part(mail, "text/html")).contains(quoted);
          }
        }
      }
    }
  }

  @Test
  void anUpdateChangesTheFeedAndIsMailedAgainOnlyWhenItsFrontMatterAsks(
      KafkaBroker broker, @TempDir Path data) throws Exception {
    PipelineUnderTest pipeline = new PipelineUnderTest(data, broker.freshSettings(), smtp.getSmtp().getPort());
    try (RunningServices services = pipeline.start()) {
      for (String email : SUBSCRIBERS) {
        services.publisher().addConfirmedSubscriber(email, "test");
      }
      Path inbox = pipeline.layout.inbox();
      int feedPort = services.feed().httpPort();
      String[] versions = {
          "---\ntitle: Opening hours\nslug: opening-hours\n---\nWe open at nine.\n",
          "---\ntitle: Opening hours (typo fixed)\nslug: opening-hours\n---\nWe open at nine o’clock.\n",
          "---\ntitle: Opening hours – changed\nslug: opening-hours\nresend: true\n---\nWe now open at ten.\n"};
      int[] mailsAfter = {3, 3, 6};
      for (int i = 0; i < versions.length; i++) {
        Seeds.drop("opening-hours-" + i + ".md", versions[i].getBytes(StandardCharsets.UTF_8), inbox);
        String title = versions[i].lines().filter(l -> l.startsWith("title: ")).findFirst().orElseThrow().substring(7);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> parse(pipeline.get(feedPort, "/feed.xml")).getEntries().stream()
                .anyMatch(e -> e.getTitle().equals(title)));
        int expected = mailsAfter[i];
        await().atMost(Duration.ofSeconds(30)).until(() -> openingHoursMails().size() >= expected);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
            .until(() -> openingHoursMails().size() == expected);
      }
      assertThat(openingHoursMails().stream().map(EndToEndTest::subject))
          .as("the first publication and the update that asked, nothing for the quiet fix")
          .containsOnly("Opening hours", "Opening hours – changed");
    }
  }

  private static List<MimeMessage> openingHoursMails() {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> subject(m).startsWith("Opening hours")).toList();
  }

  private static SyndFeed parse(String xml) throws Exception {
    return new SyndFeedInput().build(new StringReader(xml));
  }

  private static Map<String, List<MimeMessage>> byRecipient(MimeMessage[] messages) throws Exception {
    List<Map.Entry<String, MimeMessage>> pairs = new ArrayList<>();
    for (MimeMessage m : messages) {
      for (var to : m.getAllRecipients()) {
        String address = ((jakarta.mail.internet.InternetAddress) to).getAddress();
        pairs.add(Map.entry(address, m));
      }
    }
    return pairs.stream().collect(Collectors.groupingBy(Map.Entry::getKey,
        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String part(MimeMessage message, String type) throws Exception {
    Object content = message.getContent();
    if (content instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart part = multipart.getBodyPart(i);
        if (part.isMimeType(type)) {
          return part.getContent().toString();
        }
        if (part.getContent() instanceof Multipart) {
          // e.g. multipart/related around the HTML
          for (int j = 0; j < ((Multipart) part.getContent()).getCount(); j++) {
            BodyPart inner = ((Multipart) part.getContent()).getBodyPart(j);
            if (inner.isMimeType(type)) {
              return inner.getContent().toString();
            }
          }
        }
      }
    }
    throw new AssertionError("no " + type + " part in " + Arrays.toString(message.getHeader("Content-Type")));
  }

  /** A short phrase between typographic quotes, taken from the seed itself. */
  static String firstTypographicQuote(String text) {
    Matcher m = Pattern.compile("“[^”\\n]{3,60}”").matcher(text);
    assertThat(m.find()).as("the sample has a typographic quote").isTrue();
    return m.group();
  }
}
