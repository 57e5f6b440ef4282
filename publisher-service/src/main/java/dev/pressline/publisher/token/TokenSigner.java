package dev.pressline.publisher.token;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and checks the tokens in confirmation and unsubscribe links: purpose, address and expiry,
 * signed with HMAC-SHA256, so a token cannot be forged, stretched or used for another address.
 * Format: {@code base64url(purpose \n email \n expiry-epoch-seconds) . base64url(hmac)}.
 */
public final class TokenSigner {

  private static final String ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final Clock clock;
  /**
   * One keyed Mac per thread: looking up the provider and keying a Mac for every link costs more than
   * the signature itself, and a Mac is not safe for concurrent use; doFinal leaves it ready again.
   */
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  public TokenSigner(byte[] secret, Clock clock) {
    requireNonNull(secret, "secret");
    if (secret.length < 16) {
      throw new IllegalArgumentException("the signing secret must have at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    this.clock = requireNonNull(clock, "clock");
  }

  public String sign(TokenPurpose purpose, String email, Duration validFor) {
    long expires = clock.instant().plus(validFor).getEpochSecond();
    byte[] payload = (purpose.name() + "\n" + email + "\n" + expires).getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
  }

  /** The address the token was made for; throws when it is not a valid, current token for {@code purpose}. */
  public String verify(TokenPurpose purpose, String token) {
    if (token == null || token.length() > 2048) {
      throw new InvalidTokenException("the link is incomplete");
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      throw new InvalidTokenException("the link is incomplete or damaged");
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = DECODER.decode(token.substring(0, dot));
      signature = DECODER.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("the link is damaged");
    }
    // constant-time comparison: no timing hints for forgers
    if (!MessageDigest.isEqual(mac(payload), signature)) {
      throw new InvalidTokenException("the link was not issued by us");
    }
    String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
    if (parts.length != 3 || !parts[0].equals(purpose.name())) {
      throw new InvalidTokenException("the link is meant for something else");
    }
    Instant expires;
    try {
      expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
    } catch (NumberFormatException e) {
      throw new InvalidTokenException("the link is damaged");
    }
    if (clock.instant().isAfter(expires)) {
      throw new InvalidTokenException("the link has expired");
    }
    return parts[1];
  }

  private byte[] mac(byte[] payload) {
    return macs.get().doFinal(payload);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
