package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.MediaRef;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.publisher.render.EmailRenderer;
import dev.pressline.publisher.render.EncodedEmail;
import dev.pressline.publisher.render.MailIdentity;
import dev.pressline.publisher.render.MessageFactory;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of mail the publisher sends, scored by SpamAssassin 4 with its local rules ({@code -L}:
 * no network tests): at most 0, no rule that adds points. Needs the {@code spamassassin} binary; where
 * it is missing the tests are skipped, unless {@code -Dpressline.requireTools=true} (as in CI) makes
 * that a failure.
 */
class SpamScoreTest {

  private static final URI UNSUBSCRIBE = URI.create("https://letter.example.org/unsubscribe?token=AbC_dEf-0123.qrs");
  private static final Pattern SCORE =
      Pattern.compile("score=(-?[0-9.]+) required=[0-9.]+ tests=(.*?) (?:autolearn|version)=");

  private final Session session = Session.getInstance(new Properties());
  private final MailIdentity identity = identity();
  private final EmailRenderer renderer = new EmailRenderer(URI.create("https://feed.example.org"), identity);
  private final MessageFactory factory = new MessageFactory(session, identity, Clock.systemUTC());

  private static Path spamassassin;

  @BeforeAll
  static void findSpamAssassin() {
    spamassassin = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, "spamassassin")).filter(Files::isExecutable).findFirst().orElse(null);
    if (spamassassin == null && Boolean.getBoolean("pressline.requireTools")) {
      fail("spamassassin is not installed (apt-get install spamassassin), and pressline.requireTools=true "
          + "asks for every tool the tests use");
    }
    assumeTrue(spamassassin != null, "spamassassin is not installed: the spam scores are not checked");
  }

  private static MailIdentity identity() {
    try {
      return new MailIdentity(new InternetAddress("Heart Matters <letter@example.org>"), null,
          "unsubscribe@example.org");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void confirmationMailScoresAtMostZero() throws Exception {
    MimeMessage mail = factory.create(renderer.renderConfirmation("reader@example.com",
            URI.create("https://letter.example.org/confirm?token=XyZ_0123-abc.def"), UNSUBSCRIBE, Duration.ofDays(7)),
        "reader@example.com", "confirm-" + Instant.now().toEpochMilli(), UNSUBSCRIBE);

    assertScoresAtMostZero(mail);
  }

  @Test
  void newsletterScoresAtMostZero() throws Exception {
    PostEvent post = SeedPosts.fromSeed("000_", "wanting-your-partner-back");

    assertScoresAtMostZero(newsletter(post, post.slug()));
  }

  @Test
  void episodeNewsletterScoresAtMostZero() throws Exception {
    PostEvent post = SeedPosts.post("episode-7", "Episode 7: trust\n\nWe talk about trust, and how it grows back.",
        Instant.now(), PostChange.PUBLISHED, 1, new MediaRef("3f2a9c.mp3", "audio/mpeg", 1234, 60L));

    assertScoresAtMostZero(newsletter(post, post.slug()));
  }

  @Test
  void updateSentAgainScoresAtMostZero() throws Exception {
    PostEvent first = SeedPosts.fromSeed("001_", "perfectionism");
    PostEvent update = SeedPosts.post(first.slug(), first.title() + "\n\n" + first.text()
        + "\n\nUpdate: a reader asked for more, so here it is.", first.publishAt(), PostChange.UPDATED, 2, null);

    assertScoresAtMostZero(newsletter(update, DeliveryRecord.resendMailing(update.slug(), update.revision())));
  }

  /** As the mailer makes it. */
  private MimeMessage newsletter(PostEvent post, String mailing) {
    return factory.createNewsletter(EncodedEmail.of(renderer.renderPost(post, UNSUBSCRIBE)), "reader@example.com",
        mailing, UNSUBSCRIBE);
  }

  private static void assertScoresAtMostZero(MimeMessage mail) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    mail.writeTo(bytes);
    String report = score(bytes.toByteArray());
    // X-Spam-Status is folded over several lines
    Matcher status = SCORE.matcher(report.replaceAll("\r?\n[ \t]+", " "));
    assertThat(status.find()).as("a score in SpamAssassin's answer:%n%s", report).isTrue();
    double score = Double.parseDouble(status.group(1));
    int details = report.indexOf("Content analysis details:");
    assertThat(score).as("SpamAssassin's score; rules hit: %s%n%s", status.group(2),
        details < 0 ? report : report.substring(details)).isLessThanOrEqualTo(0.0);
  }

  private static String score(byte[] mail) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(spamassassin.toString(), "-L", "-t").redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(mail);
    }
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("spamassassin did not finish within 2 minutes");
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
