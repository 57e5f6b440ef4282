package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.publisher.token.InvalidTokenException;
import dev.pressline.publisher.token.TokenPurpose;
import dev.pressline.publisher.token.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenSignerTest {

  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private final Instant now = Instant.parse("2026-03-01T10:00:00Z");
  private final TokenSigner signer = new TokenSigner(SECRET, Clock.fixed(now, ZoneOffset.UTC));

  @Test
  void acceptsItsOwnTokenForTheSamePurpose() {
    String token = signer.sign(TokenPurpose.UNSUBSCRIBE, "ann@example.com", Duration.ofDays(1));
    assertThat(signer.verify(TokenPurpose.UNSUBSCRIBE, token)).isEqualTo("ann@example.com");
  }

  @Test
  void refusesATokenForAnotherPurpose() {
    String token = signer.sign(TokenPurpose.UNSUBSCRIBE, "ann@example.com", Duration.ofDays(1));
    assertThatThrownBy(() -> signer.verify(TokenPurpose.CONFIRM, token))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("something else");
  }

  @Test
  void refusesAnExpiredToken() {
    String token = signer.sign(TokenPurpose.CONFIRM, "ann@example.com", Duration.ofHours(1));
    TokenSigner later = new TokenSigner(SECRET, Clock.fixed(now.plus(Duration.ofHours(2)), ZoneOffset.UTC));
    assertThatThrownBy(() -> later.verify(TokenPurpose.CONFIRM, token)).hasMessageContaining("expired");
  }

  @Test
  void refusesATokenRewrittenForAnotherAddress() {
    String token = signer.sign(TokenPurpose.UNSUBSCRIBE, "ann@example.com", Duration.ofDays(1));
    String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
        StandardCharsets.UTF_8);
    String forgedPayload = payload.replace("ann@example.com", "bob@example.com");
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(forgedPayload.getBytes(StandardCharsets.UTF_8))
        + token.substring(token.indexOf('.'));
    assertThatThrownBy(() -> signer.verify(TokenPurpose.UNSUBSCRIBE, forged)).hasMessageContaining("not issued by us");
  }

  @Test
  void refusesATokenSignedWithAnotherSecret() {
    TokenSigner other = new TokenSigner("another-secret-of-32-characters!".getBytes(StandardCharsets.UTF_8),
        Clock.fixed(now, ZoneOffset.UTC));
    String token = other.sign(TokenPurpose.UNSUBSCRIBE, "ann@example.com", Duration.ofDays(1));
    assertThatThrownBy(() -> signer.verify(TokenPurpose.UNSUBSCRIBE, token)).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void refusesGarbage() {
    for (String garbage : new String[] {null, "", "abc", "a.b.c", "!!!.???", "."}) {
      assertThatThrownBy(() -> signer.verify(TokenPurpose.UNSUBSCRIBE, garbage)).isInstanceOf(InvalidTokenException.class);
    }
  }
}
