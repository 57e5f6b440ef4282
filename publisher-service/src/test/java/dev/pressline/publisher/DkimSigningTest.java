package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pressline.publisher.render.EmailRenderer;
import dev.pressline.publisher.render.MailIdentity;
import dev.pressline.publisher.render.MessageFactory;
import dev.pressline.publisher.smtp.DkimConfig;
import dev.pressline.publisher.smtp.DkimMessageSigner;
import dev.pressline.publisher.smtp.RateLimiter;
import dev.pressline.publisher.smtp.SendResult;
import dev.pressline.publisher.smtp.SmtpConfig;
import dev.pressline.publisher.smtp.SmtpMailSender;
import dev.pressline.publisher.smtp.SmtpSecurity;
import dev.pressline.publisher.smtp.SmtpSessions;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Signs with utils-mail-dkim, verifies with Apache James jDKIM: two independent implementations. */
class DkimSigningTest {

  @RegisterExtension
  final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  private static final URI UNSUBSCRIBE = URI.create("https://news.example.org/unsubscribe?token=t.s");
  private KeyPair keys;
  private DkimMessageSigner signer;
  private MessageFactory factory;
  private EmailRenderer renderer;

  @BeforeEach
  void setUp() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    Path keyFile = dir.resolve("dkim.pem");
    Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    signer = DkimMessageSigner.load(new DkimConfig(keyFile, "example.org", "news"));
    MailIdentity identity = new MailIdentity(new InternetAddress("Pressline <newsletter@example.org>"), null,
        "unsubscribe@example.org");
    factory = new MessageFactory(Session.getInstance(new java.util.Properties()), identity, Clock.systemUTC());
    renderer = new EmailRenderer(URI.create("https://feed.example.org"), identity);
  }

  private MimeMessage signedSeed() {
    var post = SeedPosts.fromSeed("000_", "signed-post");
    return signer.sign(factory.create(renderer.renderPost(post, UNSUBSCRIBE), "reader@example.com", post.slug(),
        UNSUBSCRIBE));
  }

  private List<SignatureRecord> verify(byte[] raw) throws Exception {
    String publicKey = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    DKIMVerifier verifier = new DKIMVerifier((method, selector, domain) -> {
      assertThat(selector.toString()).isEqualTo("news");
      assertThat(domain.toString()).isEqualTo("example.org");
      return List.of("v=DKIM1; k=rsa; p=" + publicKey);
    });
    return verifier.verify(new ByteArrayInputStream(raw));
  }

  @Test
  void signatureVerifiesAndCoversTheHeadersOneClickUnsubscribeNeeds() throws Exception {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    signedSeed().writeTo(raw);

    List<SignatureRecord> signatures = verify(raw.toByteArray());

    assertThat(signatures).hasSize(1);
    List<String> covered = signatures.get(0).getHeaders().stream()
        .map(h -> h.toString().toLowerCase(Locale.ROOT)).toList();
    assertThat(covered).contains("from", "subject", "list-unsubscribe", "list-unsubscribe-post", "message-id");
    assertThat(signatures.get(0).getDToken().toString()).isEqualTo("example.org");
  }

  @Test
  void tamperedSubjectFailsVerification() throws Exception {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    signedSeed().writeTo(raw);
    String tampered = raw.toString(StandardCharsets.US_ASCII).replaceFirst("(?m)^Subject: .*$", "Subject: Win a prize");

    assertThatThrownBy(() -> verify(tampered.getBytes(StandardCharsets.US_ASCII))).isInstanceOf(FailException.class);
  }

  @Test
  void signatureSurvivesARealSmtpHop() throws Exception {
    SmtpConfig smtp = new SmtpConfig("127.0.0.1", mail.getSmtp().getPort(), null, null, SmtpSecurity.NONE, 1, 1, 0, 1,
        Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10));
    try (SmtpMailSender sender = new SmtpMailSender(SmtpSessions.create(smtp), 1, new RateLimiter(0))) {
      assertThat(sender.send(signedSeed()).kind()).isEqualTo(SendResult.Kind.ACCEPTED);
    }
    MimeMessage received = mail.getReceivedMessages()[0];
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    received.writeTo(raw);

    assertThat(verify(raw.toByteArray())).hasSize(1);
  }
}
