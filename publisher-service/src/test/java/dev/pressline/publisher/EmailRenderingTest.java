package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.events.MediaRef;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.publisher.render.EmailRenderer;
import dev.pressline.publisher.render.EncodedEmail;
import dev.pressline.publisher.render.ListId;
import dev.pressline.publisher.render.MailIdentity;
import dev.pressline.publisher.render.MessageFactory;
import dev.pressline.publisher.render.RenderedEmail;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Renders posts into MIME and parses the bytes back, as a mail client would. */
class EmailRenderingTest {

  private static final URI UNSUBSCRIBE = URI.create("https://news.example.org/unsubscribe?token=abc.def");
  private final Session session = Session.getInstance(new Properties());
  private final MailIdentity identity = identity();
  private final EmailRenderer renderer = new EmailRenderer(URI.create("https://feed.example.org"), identity);
  private final MessageFactory factory =
      new MessageFactory(session, identity, Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));

  private static MailIdentity identity() {
    try {
      return new MailIdentity(new InternetAddress("Pressline Weekly <newsletter@example.org>"),
          new InternetAddress("editors@example.org"), "unsubscribe@example.org");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private MimeMessage roundTrip(PostEvent post, String recipient) throws Exception {
    RenderedEmail email = renderer.renderPost(post, UNSUBSCRIBE);
    MimeMessage message = factory.create(email, recipient, post.slug(), UNSUBSCRIBE);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    message.writeTo(bytes);
    return new MimeMessage(session, new ByteArrayInputStream(bytes.toByteArray()));
  }

  private MimeMessage reparse(MimeMessage message) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    message.writeTo(bytes);
    return new MimeMessage(session, new ByteArrayInputStream(bytes.toByteArray()));
  }

  private static String part(MimeMessage message, String type) throws Exception {
    MimeMultipart multipart = (MimeMultipart) message.getContent();
    for (int i = 0; i < multipart.getCount(); i++) {
      BodyPart part = multipart.getBodyPart(i);
      if (part.isMimeType(type)) {
        return (String) part.getContent();
      }
    }
    throw new AssertionError("no " + type + " part");
  }

  @Test
  void seedPostBecomesMultipartAlternativeUtf8WithTypographyIntactInBothParts() throws Exception {
    PostEvent post = SeedPosts.fromSeed("000_", "wanting-your-partner-back");
    MimeMessage parsed = roundTrip(post, "reader@example.com");

    assertThat(parsed.isMimeType("multipart/alternative")).isTrue();
    MimeMultipart multipart = (MimeMultipart) parsed.getContent();
    assertThat(multipart.getCount()).isEqualTo(2);
    assertThat(multipart.getBodyPart(0).isMimeType("text/plain")).isTrue();
    assertThat(multipart.getBodyPart(1).isMimeType("text/html")).isTrue();
    for (int i = 0; i < 2; i++) {
      assertThat(new ContentType(multipart.getBodyPart(i).getContentType()).getParameter("charset"))
          .isEqualToIgnoringCase("UTF-8");
    }
    assertThat(parsed.getSubject())
        .isEqualTo("Relationship Problems: Wanting Your Partner Back When They Don’t Want You");
    String text = part(parsed, "text/plain");
    String html = part(parsed, "text/html");
    assertThat(text).contains("Don’t", "“How do I get him/her back?”", "•");
    assertThat(html).contains("Don’t", "“How do I get him/her back?”");
    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(100_000);
  }

  @Test
  void plainTextPartPutsTitleBylineLinksBodyAndFooterOnLinesOfTheirOwn() throws Exception {
    PostEvent post = SeedPosts.fromSeed("000_", "wanting-your-partner-back");

    List<String> lines = part(roundTrip(post, "reader@example.com"), "text/plain").lines().toList();

    assertThat(lines).startsWith(
        "Relationship Problems: Wanting Your Partner Back When They Don’t Want You",
        "By Ann Author",
        "View in browser: https://feed.example.org/posts/wanting-your-partner-back",
        "");
    String firstParagraph = post.text().split("\n\\s*\n")[0];
    assertThat(lines.get(4)).isEqualTo(firstParagraph);
    int footer = lines.indexOf("-- ");
    assertThat(footer).as("a signature line before the footer").isPositive();
    assertThat(lines.get(footer - 1)).as("a blank line between the body and the footer").isEmpty();
    assertThat(lines.subList(footer + 1, lines.size())).containsExactly(
        "You get this because you subscribed to Pressline Weekly.",
        "Unsubscribe: " + UNSUBSCRIBE);
  }

  @Test
  void noTemplateJoinGluesASentenceToTheNextInAnyKindOfMail() throws Exception {
    List<PostEvent> posts = new ArrayList<>();
    for (String seed : List.of("000_", "001_", "002_", "003_", "004_")) {
      posts.add(SeedPosts.fromSeed(seed, "seed-" + seed));
    }
    posts.add(SeedPosts.post("episode-8", "Episode 8\n\nWe talk.", Instant.now(), PostChange.PUBLISHED, 1,
        new MediaRef("3f2a9c.mp3", "audio/mpeg", 1234, 60L)));
    String huge = "Huge post\n\n" + "Words in a paragraph. ".repeat(40).concat("\n\n").repeat(300);
    posts.add(SeedPosts.post("huge", huge, Instant.now(), PostChange.PUBLISHED, 1, null));
    List<String> templateLines = new ArrayList<>();
    for (PostEvent post : posts) {
      // the seeds' own lines are the editors' text as written (one starts with a glued image
      // caption): only what the template adds around them is checked
      List<String> editorsLines = new ArrayList<>(post.text().lines().toList());
      editorsLines.add(post.title());
      part(roundTrip(post, "reader@example.com"), "text/plain").lines()
          .filter(line -> !editorsLines.contains(line)).forEach(templateLines::add);
    }
    renderer.renderConfirmation("reader@example.com", URI.create("https://news.example.org/confirm?t=x"),
        UNSUBSCRIBE, Duration.ofDays(7)).text().lines().forEach(templateLines::add);

    Pattern glued = Pattern.compile("[.!?:…][A-Z]|[a-z][A-Z][a-z]|\\S(View|By|Listen|Read|Unsubscribe|You get)\\b");
    assertThat(templateLines.stream().filter(line -> glued.matcher(line).find()).toList())
        .as("lines that run two sentences or parts together").isEmpty();
  }

  @Test
  void carriesOneClickUnsubscribeHeadersAndVisibleLinks() throws Exception {
    MimeMessage parsed = roundTrip(SeedPosts.fromSeed("002_", "question-for-john"), "reader@example.com");

    assertThat(parsed.getHeader("List-Unsubscribe", null))
        .isEqualTo("<" + UNSUBSCRIBE + ">, <mailto:unsubscribe@example.org?subject=unsubscribe>");
    assertThat(parsed.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
    assertThat(part(parsed, "text/plain")).contains("Unsubscribe: " + UNSUBSCRIBE);
    assertThat(part(parsed, "text/html")).contains("href=\"" + UNSUBSCRIBE + "\"")
        .contains("https://feed.example.org/posts/question-for-john").contains("View in browser");
    assertThat(((InternetAddress) parsed.getFrom()[0]).getPersonal()).isEqualTo("Pressline Weekly");
    assertThat(parsed.getReplyTo()[0].toString()).isEqualTo("editors@example.org");
    assertThat(parsed.getSentDate()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
  }

  @Test
  void newslettersCarryAListIdAndConfirmationMailsDoNot() throws Exception {
    PostEvent post = SeedPosts.fromSeed("002_", "question-for-john");
    MimeMessage newsletter = reparse(factory.createNewsletter(EncodedEmail.of(renderer.renderPost(post, UNSUBSCRIBE)),
        "reader@example.com", post.slug(), UNSUBSCRIBE));
    MimeMessage confirmation = reparse(factory.create(renderer.renderConfirmation("reader@example.com",
        URI.create("https://news.example.org/confirm?token=x"), UNSUBSCRIBE, Duration.ofDays(7)),
        "reader@example.com", "confirm-1", UNSUBSCRIBE));

    assertThat(newsletter.getHeader("List-Id", null)).isEqualTo("\"Pressline Weekly\" <newsletter.example.org>");
    assertThat(confirmation.getHeader("List-Id")).as("a confirmation is no list mail").isNull();
    for (MimeMessage message : List.of(newsletter, confirmation)) {
      assertThat(message.getHeader("List-Unsubscribe", null))
          .isEqualTo("<" + UNSUBSCRIBE + ">, <mailto:unsubscribe@example.org?subject=unsubscribe>");
      assertThat(message.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
    }
  }

  @Test
  void listIdQuotesOrEncodesItsDescription() {
    assertThat(new ListId("Heart \"Matters\"", "letter.example.org").header())
        .isEqualTo("\"Heart \\\"Matters\\\"\" <letter.example.org>");
    assertThat(new ListId("Cœur", "letter.example.org").header()).isEqualTo("=?UTF-8?Q?C=C5=93ur?= <letter.example.org>");
    assertThat(ListId.parse("\"Our Letter\" <letter.example.org>")).contains(new ListId("Our Letter", "letter.example.org"));
    assertThat(ListId.parse("<letter.example.org>")).contains(new ListId("", "letter.example.org"));
    assertThat(ListId.parse("letter")).isEmpty();
  }

  @Test
  void messageIdIsStablePerPostAndRecipientAndUniqueAcrossThem() throws Exception {
    PostEvent post = SeedPosts.fromSeed("003_", "couples");
    String first = roundTrip(post, "a@example.com").getMessageID();
    String again = roundTrip(post, "a@example.com").getMessageID();
    String other = roundTrip(post, "b@example.com").getMessageID();
    String otherPost = roundTrip(SeedPosts.fromSeed("004_", "bio"), "a@example.com").getMessageID();

    assertThat(first).matches("<[0-9a-f]{32}\\.couples@example\\.org>").isEqualTo(again);
    assertThat(other).isNotEqualTo(first);
    assertThat(otherPost).isNotEqualTo(first);
  }

  @Test
  void messageSavedAgainKeepsItsMessageIdHeadersAndParts() throws Exception {
    PostEvent post = SeedPosts.fromSeed("003_", "couples");
    RenderedEmail email = renderer.renderPost(post, UNSUBSCRIBE);
    MimeMessage message = factory.createNewsletter(EncodedEmail.of(email), "a@example.com", post.slug(), UNSUBSCRIBE);
    String id = message.getMessageID();
    String asWritten = new String(written(message), StandardCharsets.US_ASCII);

    // a wrapper (DKIM) or a tool may save the message again: Jakarta Mail then rebuilds it from its parts
    message.saveChanges();
    MimeMessage saved = reparse(message);

    assertThat(asWritten).contains("MIME-Version: 1.0\r\n", "Content-Transfer-Encoding: quoted-printable\r\n");
    assertThat(saved.getMessageID()).isEqualTo(id).matches("<[0-9a-f]{32}\\.couples@example\\.org>");
    assertThat(saved.getHeader("List-Id", null)).isEqualTo(message.getHeader("List-Id", null)).isNotNull();
    assertThat(part(saved, "text/plain")).isEqualTo(part(reparse(factory.createNewsletter(EncodedEmail.of(email),
        "a@example.com", post.slug(), UNSUBSCRIBE)), "text/plain"));
    assertThat(part(saved, "text/html")).contains(UNSUBSCRIBE.toString().replace("&", "&amp;"));
  }

  @Test
  void twoMessagesNeverShareABoundary() throws Exception {
    PostEvent post = SeedPosts.fromSeed("003_", "couples");
    RenderedEmail email = renderer.renderPost(post, UNSUBSCRIBE);
    String first = factory.create(email, "a@example.com", post.slug(), UNSUBSCRIBE).getContentType();
    String second = factory.create(email, "a@example.com", post.slug(), UNSUBSCRIBE).getContentType();

    assertThat(new ContentType(first).getParameter("boundary")).contains("=_")
        .isNotEqualTo(new ContentType(second).getParameter("boundary"));
  }

  private static byte[] written(MimeMessage message) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    message.writeTo(bytes);
    return bytes.toByteArray();
  }

  @Test
  void titleCannotInjectHeaders() throws Exception {
    PostEvent post = SeedPosts.post("evil", "Hello\r\nBcc: victim@example.net\r\nX-Evil: 1\n\nBody text.",
        Instant.now(), PostChange.PUBLISHED, 1, null);
    PostEvent injected = PostEvent.builder()
        .schemaVersion(post.schemaVersion())
        .change(post.change())
        .slug(post.slug())
        .revision(post.revision())
        .title("Hello\r\nBcc: victim@example.net\u2028X-Evil: 1")
        .author(post.author())
        .summary(post.summary())
        .html(post.html())
        .text(post.text())
        .publishAt(post.publishAt())
        .tags(post.tags())
        .email(true)
        .contentHash("h")
        .sourceFile("f")
        .ingestedAt(Instant.now())
        .build();

    MimeMessage parsed = roundTrip(injected, "reader@example.com");

    assertThat(parsed.getHeader("Bcc")).isNull();
    assertThat(parsed.getHeader("X-Evil")).isNull();
    assertThat(parsed.getRecipients(jakarta.mail.Message.RecipientType.BCC)).isNull();
    assertThat(parsed.getSubject()).isEqualTo("Hello Bcc: victim@example.net X-Evil: 1");
  }

  @Test
  void aTitleThatLooksLikeAnEncodedWordStaysTheTitleInTheSubject() throws Exception {
    // "Hello\r\nBcc: victim@example.net" as an RFC 2047 word, which a mail client would decode
    String encoded = "=?UTF-8?B?" + Base64.getEncoder().encodeToString(
        "Hello\r\nBcc: victim@example.net".getBytes(StandardCharsets.UTF_8)) + "?=";
    String title = "Big news " + encoded + " and =?ISO-8859-1?Q?caf=E9?= too";

    MimeMessage parsed = roundTrip(withTitle(title), "reader@example.com");

    String raw = parsed.getHeader("Subject", null);
    assertThat(MimeUtility.decodeText(MimeUtility.unfold(raw))).as(raw).isEqualTo(title);
    assertThat(parsed.getSubject()).isEqualTo(title);
    assertThat(parsed.getHeader("Bcc")).isNull();
    assertThat(parsed.getRecipients(jakarta.mail.Message.RecipientType.BCC)).isNull();
  }

  @Test
  void bidiControlsAndZeroWidthCharactersLeaveTheSubjectAndTheHeading() throws Exception {
    String title = "Invoice \u202Efdp.exe\u202C paid\u200B \u2066now\u2069\u200F\uFEFF\u061C\u2060 – café 👩\u200D💻";

    MimeMessage parsed = roundTrip(withTitle(title), "reader@example.com");

    String neutral = "Invoice fdp.exe paid now – café 👩\u200D💻";
    assertThat(MimeUtility.decodeText(MimeUtility.unfold(parsed.getHeader("Subject", null)))).isEqualTo(neutral);
    assertThat(part(parsed, "text/html")).contains(">" + neutral + "</h1>");
    assertThat(part(parsed, "text/plain").lines().findFirst()).contains(neutral);
  }

  private static PostEvent withTitle(String title) {
    PostEvent p = SeedPosts.post("titled", "T\n\nBody text.", Instant.now(), PostChange.PUBLISHED, 1, null);
    return PostEvent.builder()
        .schemaVersion(p.schemaVersion())
        .change(p.change())
        .slug(p.slug())
        .revision(p.revision())
        .title(title)
        .author(p.author())
        .summary(p.summary())
        .html(p.html())
        .text(p.text())
        .publishAt(p.publishAt())
        .tags(p.tags())
        .email(true)
        .contentHash("h")
        .sourceFile("f")
        .ingestedAt(Instant.now())
        .build();
  }

  @Test
  void escapesTitleAndStripsScriptsFromTheBody() throws Exception {
    PostEvent base = SeedPosts.post("xss", "T\n\nx", Instant.now(), PostChange.PUBLISHED, 1, null);
    PostEvent hostile = PostEvent.builder()
        .schemaVersion(1)
        .change(PostChange.PUBLISHED)
        .slug("xss")
        .title("<script>alert(1)</script> & co")
        .author("<b>Mallory</b>")
        .summary("")
        .html("<p onclick=\"steal()\">Hi<script>steal()</script><a href=\"javascript:steal()\">x</a></p>")
        .text("Hi")
        .publishAt(base.publishAt())
        .tags(base.tags())
        .email(true)
        .contentHash("h")
        .sourceFile("f")
        .ingestedAt(Instant.now())
        .build();

    String html = part(roundTrip(hostile, "reader@example.com"), "text/html");

    assertThat(html).doesNotContain("<script", "onclick", "javascript:", "<b>Mallory");
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co").contains("Hi");
  }

  @Test
  void hugePostStaysUnderGmailClipLimitWithLinkToWholePost() throws Exception {
    String paragraph = "A long paragraph about relationships – with “quotes” and more words. ".repeat(30);
    String text = "Huge post\n\n" + (paragraph + "\n\n").repeat(300);
    PostEvent post = SeedPosts.post("huge", text, Instant.now(), PostChange.PUBLISHED, 1, null);

    MimeMessage parsed = roundTrip(post, "reader@example.com");

    String html = part(parsed, "text/html");
    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(100_000);
    assertThat(html).contains("Read the whole post").contains("“quotes”").contains(UNSUBSCRIBE.toString());
    assertThat(part(parsed, "text/plain")).contains("Read the whole post: https://feed.example.org/posts/huge");
  }

  @Test
  void episodeGetsListenLinkAndSummaryBecomesPreheader() throws Exception {
    PostEvent base = SeedPosts.post("episode-7", "Episode 7\n\nWe talk.", Instant.now(), PostChange.PUBLISHED, 1,
        new MediaRef("3f2a9c.mp3", "audio/mpeg", 1234, 60L));
    PostEvent post = PostEvent.builder()
        .schemaVersion(1)
        .change(PostChange.PUBLISHED)
        .slug(base.slug())
        .title(base.title())
        .author("")
        .summary("A talk about trust.")
        .html(base.html())
        .text(base.text())
        .publishAt(base.publishAt())
        .tags(base.tags())
        .audio(base.audio())
        .email(true)
        .episode(7)
        .season(1)
        .contentHash("h")
        .sourceFile("f")
        .ingestedAt(Instant.now())
        .build();

    MimeMessage parsed = roundTrip(post, "reader@example.com");

    // the readable form feed-service serves: a reader who saves the audio gets episode-7.mp3
    assertThat(part(parsed, "text/html")).contains("https://feed.example.org/media/3f2a9c/episode-7.mp3")
        .contains("A talk about trust.");
    assertThat(part(parsed, "text/plain"))
        .contains("Listen to the episode: https://feed.example.org/media/3f2a9c/episode-7.mp3");
  }
}
