package dev.pressline.publisher.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PersonalisableEmailTest {

  private static final String SLOT = "https://pressline.invalid/unsubscribe-link-placeholder";
  private static final String LINK =
      "https://letter.example.org/unsubscribe?token=AbC_dEf-0123456789.qrstUVWX_yz-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=";

  @Test
  void eachRecipientsBodiesDecodeToTheRenderedTextWithTheirOwnLink() throws Exception {
    String html = "<p>Don’t panic – “really”… " + "é".repeat(60) + " </p>\n<a href=\"" + SLOT + "\">Unsubscribe</a>"
        + "x".repeat(200) + " \t" + SLOT + "\n" + "=".repeat(90) + "\n";
    String text = SLOT + " leads off; trailing space before the slot: " + SLOT + " and the end " + SLOT;
    PersonalisableEmail email = new PersonalisableEmail(new RenderedEmail("Subject", html, text), SLOT);

    EncodedEmail filled = email.fill(LINK);

    assertThat(decode(filled.html())).isEqualTo(html.replace(SLOT, LINK).replace("\n", "\r\n"));
    assertThat(decode(filled.text())).isEqualTo(text.replace(SLOT, LINK));
    assertThat(lines(filled.html())).allMatch(l -> l.length() <= 76, "at most 76 characters per line");
    assertThat(lines(filled.text())).allMatch(l -> l.length() <= 76, "at most 76 characters per line");
    assertThat(new String(filled.html(), StandardCharsets.US_ASCII)).as("plain ASCII on the wire")
        .matches("[\\x20-\\x7e\\r\\n\\t]*");
  }

  @Test
  void theSameBytesAsEncodingTheWholeEmailWhenThereIsNoSlot() {
    RenderedEmail plain = new RenderedEmail("S", "<p>“no link”</p>\n", "no link\n");

    EncodedEmail filled = new PersonalisableEmail(plain, SLOT).fill(LINK);

    assertThat(filled.html()).isEqualTo(EncodedEmail.of(plain).html());
    assertThat(filled.text()).isEqualTo(EncodedEmail.of(plain).text());
  }

  @Test
  void aLinkThatContainsTheSlotIsRefused() {
    PersonalisableEmail email = new PersonalisableEmail(new RenderedEmail("S", SLOT, SLOT), SLOT);

    assertThatThrownBy(() -> email.fill(SLOT + "?again")).isInstanceOf(IllegalArgumentException.class);
  }

  private static String decode(byte[] quotedPrintable) throws Exception {
    try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(quotedPrintable), "quoted-printable")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static java.util.List<String> lines(byte[] encoded) {
    return Arrays.asList(new String(encoded, StandardCharsets.US_ASCII).split("\r\n"));
  }
}
