package dev.pressline.publisher.smtp;

import static java.util.Objects.requireNonNull;

import dev.pressline.publisher.PublisherException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.simplejavamail.utils.mail.dkim.Canonicalization;
import org.simplejavamail.utils.mail.dkim.DkimException;
import org.simplejavamail.utils.mail.dkim.DkimMessage;
import org.simplejavamail.utils.mail.dkim.DkimSigner;
import org.simplejavamail.utils.mail.dkim.SigningAlgorithm;

/**
 * DKIM-signs every outgoing message (rsa-sha256, relaxed/relaxed) with utils-mail-dkim. The signature
 * covers From, Subject, Date, Message-ID, To, Reply-To, MIME headers, List-Id and both List-Unsubscribe headers,
 * as RFC 8058 requires for one-click unsubscribe to be trusted. The signature is computed when the
 * message is written to the SMTP connection.
 */
public final class DkimMessageSigner implements MessageSigner {

  static final String[] SIGNED_HEADERS = {
    "From", "Subject", "Date", "Message-ID", "To", "Reply-To", "MIME-Version", "Content-Type",
    "List-Unsubscribe", "List-Unsubscribe-Post", "List-Id"
  };

  private final DkimConfig config;
  private final RSAPrivateKey key;

  DkimMessageSigner(DkimConfig config, RSAPrivateKey key) {
    this.config = requireNonNull(config, "config");
    this.key = requireNonNull(key, "key");
  }

  /** Reads the PKCS#8 RSA key (PEM or DER) named in the configuration. */
  public static DkimMessageSigner load(DkimConfig config) {
    try {
      byte[] bytes = Files.readAllBytes(config.privateKeyFile());
      String text = new String(bytes, StandardCharsets.US_ASCII);
      if (text.contains("BEGIN RSA PRIVATE KEY")) {
        throw new PublisherException("the DKIM key " + config.privateKeyFile() + " is PKCS#1; convert it with "
            + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem'");
      }
      if (text.contains("-----BEGIN")) {
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        bytes = Base64.getDecoder().decode(base64);
      }
      RSAPrivateKey key = (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(bytes));
      DkimMessageSigner signer = new DkimMessageSigner(config, key);
      signer.newSigner(); // fail at start, not at the first mail, if the library refuses the key
      return signer;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new PublisherException("cannot use the DKIM key " + config.privateKeyFile() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public MimeMessage sign(MimeMessage message) {
    try {
      DkimMessage signed = new DkimMessage(message, newSigner());
      // bodies are quoted-printable already; 8BITMIME could change them in transit and break the signature
      signed.setAllow8bitMIME(false);
      return signed;
    } catch (MessagingException e) {
      throw new PublisherException("cannot DKIM-sign the message: " + e.getMessage(), e);
    }
  }

  /** A signer per message: the library's signer is not documented as thread-safe. */
  private DkimSigner newSigner() {
    try {
      DkimSigner signer = new DkimSigner(config.domain(), config.selector(), key);
      signer.setSigningAlgorithm(SigningAlgorithm.SHA256_WITH_RSA);
      signer.setHeaderCanonicalization(Canonicalization.RELAXED);
      signer.setBodyCanonicalization(Canonicalization.RELAXED);
      // no DNS look-up of our own public key for every message
      signer.setCheckDomainKey(false);
      for (String header : SIGNED_HEADERS) {
        signer.addHeaderToSign(header);
      }
      return signer;
    } catch (DkimException e) {
      throw new PublisherException("the DKIM library refused the key for " + config.domain() + ": " + e.getMessage(), e);
    }
  }
}
