package dev.pressline.publisher.smtp;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * DKIM signing of every outgoing message.
 *
 * @param privateKeyFile PKCS#8 RSA private key, DER or PEM
 * @param domain the signing domain ({@code d=})
 * @param selector the DNS selector ({@code s=})
 */
public record DkimConfig(Path privateKeyFile, String domain, String selector) {
  public DkimConfig {
    requireNonNull(privateKeyFile, "privateKeyFile");
    requireNonNull(domain, "domain");
    requireNonNull(selector, "selector");
  }
}
