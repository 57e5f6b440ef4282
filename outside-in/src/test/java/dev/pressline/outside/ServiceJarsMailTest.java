package dev.pressline.outside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The three service jars as separate processes, as an operator runs them against their own Kafka
 * and SMTP server, with DKIM signing on. Every kind of mail they send (confirmation, post, update
 * resent) is scored by SpamAssassin, verified by two independent DKIM verifiers and read as text.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceJarsMailTest {

  /** One client, so its kept-alive connections are reused rather than piling up against the per-client limit. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static final String SUBSCRIBER = "listener@example.com";
  private static final String AUTHOR = "Ada Quayside";
  private static final String TITLE = "Tides, ropes and the ferry at dawn";
  private static final Pattern SA_STATUS =
      Pattern.compile("X-Spam-Status: (Yes|No), score=(-?\\d+(?:\\.\\d+)?) required=\\S+\\s+tests=(.*?)\\s+autolearn", Pattern.DOTALL);

  private final Web web = new Web();
  private final List<JarProcess> jars = new ArrayList<>();
  private GreenMail smtp;
  private KeyPair dkim;
  private Path dir;
  private int feedPort;
  private int publisherPort;
  private Map<String, MimeMessage> mails;

  @BeforeAll
  void runTheJarsAndCollectEveryKindOfMail(KafkaBroker broker) throws Exception {
    dir = LaunchedPipeline.artefacts().resolve("service-jars-" + System.currentTimeMillis());
    Files.createDirectories(dir);
    smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    dkim = generator.generateKeyPair();
    Path key = dir.resolve("dkim.pem");
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(dkim.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");

    feedPort = freePort();
    publisherPort = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("PRESSLINE_TOPIC_PREFIX", broker.freshSettings().topics().prefix());
    env.put("PRESSLINE_INBOX_DIR", dir.resolve("inbox").toString());
    env.put("PRESSLINE_PROCESSED_DIR", dir.resolve("processed").toString());
    env.put("PRESSLINE_REJECTED_DIR", dir.resolve("rejected").toString());
    env.put("PRESSLINE_MEDIA_DIR", dir.resolve("media").toString());
    env.put("PRESSLINE_FEED_PORT", Integer.toString(feedPort));
    env.put("PRESSLINE_PUBLISHER_PORT", Integer.toString(publisherPort));
    env.put("PRESSLINE_INGEST_PORT", Integer.toString(freePort()));
    env.put("PRESSLINE_PUBLIC_BASE_URL", "http://localhost:" + feedPort);
    env.put("PRESSLINE_PUBLISHER_BASE_URL", "http://localhost:" + publisherPort);
    env.put("PRESSLINE_SMTP_HOST", "127.0.0.1");
    env.put("PRESSLINE_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()));
    env.put("PRESSLINE_MAIL_FROM", "Harbour Letter <letter@example.org>");
    env.put("PRESSLINE_DKIM_KEY_FILE", key.toString());
    env.put("PRESSLINE_DKIM_DOMAIN", "example.org");
    env.put("PRESSLINE_DKIM_SELECTOR", "news");
    Files.createDirectories(dir.resolve("inbox"));
    for (ShippedJar jar : List.of(ShippedJar.INGEST, ShippedJar.PUBLISHER, ShippedJar.FEED)) {
      Map<String, String> own = new HashMap<>(env);
      own.put("PRESSLINE_STATE_DIR", dir.resolve("state-" + jar.name().toLowerCase()).toString());
      jars.add(JarProcess.start(jar, List.of(), own, dir.resolve(jar.name().toLowerCase() + ".log")));
    }
    for (int port : List.of(feedPort, publisherPort)) {
      await("service on port " + port + " ready (logs in " + dir + ")")
          .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
          .until(() -> {
            jars.forEach(j -> assertThat(j.isAlive()).as(j.name() + " exited:\n" + j.output()).isTrue());
            return web.status("http://localhost:" + port + "/health/ready") == 200;
          });
    }

    mails = new HashMap<>();
    HttpResponse<String> subscribed = post("/subscribe", "email=" + SUBSCRIBER);
    assertThat(subscribed.statusCode()).as(subscribed.body()).isBetween(200, 299);
    mails.put("confirmation", awaitMail(1));
    confirm(MimeParts.first(mails.get("confirmation"), "text/plain"));

    String post = String.join("\n", "---", "title: " + TITLE, "author: " + AUTHOR, "slug: tides-and-ropes",
        "summary: The first ferry leaves at six.", "---", "",
        "The harbour wakes before the town does. Ropes creak, the ferry coughs, the gulls argue.", "",
        "We walked the quay with a recorder and came back with an hour of sound.", "");
    drop("tides.md", post);
    mails.put("post", awaitMail(2));
    drop("tides.md", post.replace("slug: tides-and-ropes", "slug: tides-and-ropes\nresend: true")
        .replace("an hour of sound", "an hour and a half of sound"));
    mails.put("resend", awaitMail(3));
  }

  @AfterAll
  void stop() {
    jars.forEach(JarProcess::close);
    if (smtp != null) {
      smtp.stop();
    }
  }

  @Test
  void spamAssassinScoresEveryKindOfMailAtOrBelowZero() throws IOException {
    String spamassassin = Tools.require("spamassassin", "spamassassin");
    for (var mail : mails.entrySet()) {
      Tools.Result result =
          Tools.run(List.of(spamassassin, "-L", "-t"), Map.of(), raw(mail.getValue()), 180);
      Matcher m = SA_STATUS.matcher(result.output());
      assertThat(m.find()).as(mail.getKey() + ": SpamAssassin's verdict\n" + result.output()).isTrue();
      String rules = m.group(3).replaceAll("\\s+", "");
      assertThat(Double.parseDouble(m.group(2)))
          .as("%s mail scores %s (rules hit: %s)", mail.getKey(), m.group(2), rules)
          .isLessThanOrEqualTo(0.0);
    }
  }

  @Test
  void pythonDkimAndJamesJdkimBothVerifyEveryMail() throws Exception {
    String python = Tools.requirePythonModule("dkim", "python3-dkim");
    String publicKey = Base64.getEncoder().encodeToString(dkim.getPublic().getEncoded());
    String script = String.join("\n",
        "import sys, dkim",
        "record = ('v=DKIM1; k=rsa; p=' + sys.argv[1]).encode()",
        "def txt(name, timeout=5):",
        "    return record if name == b'news._domainkey.example.org.' else None",
        "print('verified', dkim.verify(sys.stdin.buffer.read(), dnsfunc=txt))");
    for (var mail : mails.entrySet()) {
      byte[] raw = raw(mail.getValue());
      Tools.Result result = Tools.run(List.of(python, "-c", script, publicKey), Map.of(), raw, 60);
      assertThat(result.output()).as(mail.getKey() + ": python3-dkim\n" + result.output()).contains("verified True");

      DKIMVerifier verifier = new DKIMVerifier((method, selector, domain) ->
          List.of("v=DKIM1; k=rsa; p=" + publicKey));
      List<SignatureRecord> signatures = verifier.verify(new ByteArrayInputStream(raw));
      assertThat(signatures).as(mail.getKey() + ": jDKIM").hasSize(1);
    }
  }

  @Test
  void listMailCarriesListIdAndOneClickUnsubscribe() throws Exception {
    for (String kind : List.of("post", "resend")) {
      MimeMessage mail = mails.get(kind);
      assertThat(mail.getHeader("List-Id")).as(kind + ": List-Id (RFC 2919)").isNotNull();
      assertThat(mail.getHeader("List-Id")[0]).matches(".*<[^<>@\\s]+\\.[^<>@\\s]+>\\s*");
      assertThat(mail.getHeader("List-Unsubscribe")).as(kind + ": List-Unsubscribe").isNotNull();
      assertThat(mail.getHeader("List-Unsubscribe-Post")).as(kind).containsExactly("List-Unsubscribe=One-Click");
    }
  }

  @Test
  void theTextPartKeepsTitleBylineAndLinksOnLinesOfTheirOwn() throws Exception {
    String text = MimeParts.first(mails.get("post"), "text/plain");
    List<String> lines = text.lines().map(String::strip).toList();
    assertThat(lines).as(text).contains(TITLE);
    assertThat(lines).as(text).anySatisfy(l -> assertThat(l).startsWith("By " + AUTHOR));
    assertThat(lines).as(text).anySatisfy(l -> assertThat(l).startsWith("View in browser"));
    for (String line : lines) {
      // links are left out: a signed token may hold "w.Qj" by chance
      assertThat(line.replaceAll("https?://\\S+", "")).as("a line that runs two lines together:\n" + text)
          .doesNotContain(TITLE + "By").doesNotContain(AUTHOR + "View")
          .doesNotMatch(".*\\p{Ll}[.!?]\\p{Lu}\\p{Ll}.*");
    }
  }

  @Test
  void theFeedServiceJarWritesThePodcastingTwoTags() throws IOException {
    String podcast = web.text("http://localhost:" + feedPort + "/podcast.xml");
    assertThat(podcast).contains("<podcast:guid>").contains("<podcast:locked");
  }

  private void drop(String name, String text) throws IOException {
    Path staging = Files.createDirectories(dir.resolve("staging"));
    Files.move(Files.writeString(staging.resolve(name), text), dir.resolve("inbox").resolve(name),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Opens the confirmation link as a person would, pressing the page's button if it has one. */
  private void confirm(String confirmationText) throws Exception {
    Matcher link = Pattern.compile("(http://\\S+/confirm\\?token=[^\\s>]+)").matcher(confirmationText);
    assertThat(link.find()).as("a confirmation link in:\n" + confirmationText).isTrue();
    HttpResponse<byte[]> page = web.get(link.group(1));
    assertThat(page.statusCode()).isEqualTo(200);
    String html = new String(page.body(), StandardCharsets.UTF_8);
    Matcher form = Pattern.compile("(?is)<form[^>]*method=\"post\"[^>]*>(.*?)</form>").matcher(html);
    if (form.find()) {
      StringBuilder body = new StringBuilder();
      Matcher input = Pattern.compile("(?is)<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"").matcher(form.group(1));
      while (input.find()) {
        body.append(body.length() == 0 ? "" : "&").append(input.group(1)).append('=')
            .append(java.net.URLEncoder.encode(input.group(2).replace("&amp;", "&"), StandardCharsets.UTF_8));
      }
      Matcher action = Pattern.compile("(?is)<form[^>]*action=\"([^\"]+)\"").matcher(html);
      String target = action.find() ? action.group(1).replace("&amp;", "&") : link.group(1);
      HttpResponse<String> done = post(URI.create(link.group(1)).resolve(target).toString(), body.toString());
      assertThat(done.statusCode()).as(done.body()).isBetween(200, 399);
    }
  }

  private HttpResponse<String> post(String pathOrUrl, String form) throws IOException {
    String url = pathOrUrl.startsWith("http") ? pathOrUrl : "http://localhost:" + publisherPort + pathOrUrl;
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private MimeMessage awaitMail(int count) {
    await(count + " mails at the SMTP server (logs in " + dir + ")")
        .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
        .until(() -> smtp.getReceivedMessages().length >= count);
    return smtp.getReceivedMessages()[count - 1];
  }

  private static byte[] raw(MimeMessage message) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      message.writeTo(out);
      return out.toByteArray();
    } catch (IOException | jakarta.mail.MessagingException e) {
      throw new AssertionError("cannot write the received message back out", e);
    }
  }


  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
