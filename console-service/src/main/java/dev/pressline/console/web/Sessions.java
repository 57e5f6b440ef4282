package dev.pressline.console.web;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed sessions and the CSRF tokens tied to them. A session cookie holds a random id and its expiry,
 * signed with HMAC-SHA256 under a key made at start: nothing about it can be changed or forged
 * without the key, and a restart signs everybody out. The CSRF token of a session is an HMAC of its
 * id, so a form can only be sent from a page the session was shown.
 */
final class Sessions {

  static final String COOKIE = "pressline_console";
  /** The short-lived cookie that ties the sign-in form's CSRF token to one browser. */
  static final String SIGN_IN_COOKIE = "pressline_console_signin";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  /** Signed-out sessions remembered until they would have expired anyway. */
  private static final int SIGNED_OUT_REMEMBERED = 10_000;

  /** A valid session. */
  record Session(String id, Instant expires) {}

  private final byte[] key = new byte[32];
  private final SecureRandom random = new SecureRandom();
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Instant> signedOut = Collections.synchronizedMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
      return size() > SIGNED_OUT_REMEMBERED;
    }
  });

  Sessions(Duration ttl, Clock clock) {
    this.ttl = requireNonNull(ttl, "ttl");
    this.clock = requireNonNull(clock, "clock");
    random.nextBytes(key);
  }

  Duration ttl() {
    return ttl;
  }

  /** A new session's cookie value. */
  String open() {
    String id = randomId();
    long expires = clock.instant().plus(ttl).getEpochSecond();
    String body = id + "." + expires;
    return body + "." + sign("session." + body);
  }

  /** The session a cookie value stands for, if it is genuine and has not expired or been signed out. */
  Optional<Session> check(String cookie) {
    if (cookie == null) {
      return Optional.empty();
    }
    String[] parts = cookie.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    String body = parts[0] + "." + parts[1];
    if (!same(sign("session." + body), parts[2])) {
      return Optional.empty();
    }
    Instant expires;
    try {
      expires = Instant.ofEpochSecond(Long.parseLong(parts[1]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (!expires.isAfter(clock.instant()) || signedOut.containsKey(parts[0])) {
      return Optional.empty();
    }
    return Optional.of(new Session(parts[0], expires));
  }

  void signOut(Session session) {
    signedOut.put(session.id(), session.expires());
  }

  String csrfToken(Session session) {
    return sign("csrf." + session.id());
  }

  boolean csrfMatches(Session session, String token) {
    return token != null && same(csrfToken(session), token);
  }

  /** A random value for the sign-in cookie. */
  String randomId() {
    byte[] id = new byte[18];
    random.nextBytes(id);
    return B64.encodeToString(id);
  }

  String signInToken(String signInCookie) {
    return sign("sign-in." + signInCookie);
  }

  boolean signInTokenMatches(String signInCookie, String token) {
    return signInCookie != null && token != null && same(signInToken(signInCookie), token);
  }

  private String sign(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return B64.encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** Constant time: a comparison must not tell how much of a guess was right. */
  static boolean same(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
