package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.publisher.subscribe.EmailAddress;
import dev.pressline.publisher.subscribe.InvalidAddressException;
import org.junit.jupiter.api.Test;

class EmailAddressTest {

  @Test
  void trimsAndLowerCasesTheDomainOnly() {
    assertThat(EmailAddress.normalise("  Ann.Lee@Example.ORG ")).contains("Ann.Lee@example.org");
  }

  @Test
  void acceptsTheDemoMailCatchersLocalhost() {
    assertThat(EmailAddress.normalise("reader@LocalHost")).contains("reader@localhost");
  }

  @Test
  void refusesWhatIsNotOnePlainAddress() {
    for (String bad : new String[] {null, "", "ann", "ann@", "@example.org", "ann@intranet", "a b@example.org",
        "Ann <ann@example.org>", "ann@example.org, bob@example.org", "ann@example.org\r\nBcc: x@example.org",
        "ann@@example.org", "ann@exa_mple.org", "x".repeat(250) + "@example.org"}) {
      assertThat(EmailAddress.normalise(bad)).as(String.valueOf(bad)).isEmpty();
    }
  }

  @Test
  void refusesInvisibleDirectionChangingAndNonAsciiCharactersAnywhere() {
    for (String bad : new String[] {"ann\u2028@example.org", "ann@example.org\u2028", "\u202Egro.elpmaxe@nna",
        "a\u200Bnn@example.org", "ann@exa\u200Dmple.org", "\uFEFFann@example.org", "ann\u00A0@example.org",
        "\u00A0ann@example.org", "j\u00F6rg@example.org", "ann@b\u00FCcher.de", "ann\u0085@example.org"}) {
      assertThatThrownBy(() -> EmailAddress.check(bad)).as(bad).isInstanceOf(InvalidAddressException.class)
          .hasMessageContaining("plain letters");
    }
  }

  @Test
  void refusesEncodedWordsAndOverlongLocalParts() {
    assertThatThrownBy(() -> EmailAddress.check("=?utf-8?q?ann?=@example.org")).hasMessageContaining("=?");
    assertThat(EmailAddress.normalise("x".repeat(64) + "@example.org")).isPresent();
    assertThatThrownBy(() -> EmailAddress.check("x".repeat(65) + "@example.org"))
        .hasMessageContaining("longer than 64");
    assertThatThrownBy(() -> EmailAddress.check("x".repeat(100) + "@example.org"))
        .hasMessageContaining("longer than 64");
  }

  @Test
  void theMessageSaysWhatIsWrongWithoutRepeatingTheAddress() {
    assertThatThrownBy(() -> EmailAddress.check("ann\u202E@example.org"))
        .hasMessageStartingWith("The email address").hasMessageNotContaining("ann");
    assertThatThrownBy(() -> EmailAddress.check(null)).hasMessage("No email address was given");
  }
}
