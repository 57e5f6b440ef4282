package dev.pressline.publisher.token;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

/** The signed links a subscriber gets: confirm and unsubscribe, on this service's public URL. */
public final class Links {

  private final URI baseUrl;
  private final TokenSigner signer;
  private final Duration confirmTtl;
  private final Duration unsubscribeTtl;

  public Links(URI baseUrl, TokenSigner signer, Duration confirmTtl, Duration unsubscribeTtl) {
    this.baseUrl = requireNonNull(baseUrl, "baseUrl");
    this.signer = requireNonNull(signer, "signer");
    this.confirmTtl = requireNonNull(confirmTtl, "confirmTtl");
    this.unsubscribeTtl = requireNonNull(unsubscribeTtl, "unsubscribeTtl");
  }

  public URI confirm(String email) {
    return URI.create(baseUrl + "/confirm?token=" + signer.sign(TokenPurpose.CONFIRM, email, confirmTtl));
  }

  public URI unsubscribe(String email) {
    return URI.create(baseUrl + "/unsubscribe?token=" + signer.sign(TokenPurpose.UNSUBSCRIBE, email, unsubscribeTtl));
  }

  public Duration confirmTtl() {
    return confirmTtl;
  }
}
