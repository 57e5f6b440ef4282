package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.publisher.subscribe.EmailAddress;
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
}
