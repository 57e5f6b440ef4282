package dev.pressline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.publisher.smtp.SmtpConfig;
import dev.pressline.publisher.smtp.SmtpSecurity;
import dev.pressline.support.config.InvalidSettingException;
import dev.pressline.support.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublisherConfigTest {

  @Test
  void appliesWorkingDefaults() {
    PublisherConfig config = PublisherConfig.from(Settings.of(Map.of()));
    assertThat(config.port()).isEqualTo(8081);
    assertThat(config.baseUrl()).hasToString("http://localhost:8081");
    assertThat(config.publicBaseUrl()).hasToString("http://localhost:8080");
    assertThat(config.smtp().host()).isEqualTo("localhost");
    assertThat(config.smtp().port()).isEqualTo(2525);
    assertThat(config.smtp().security()).isEqualTo(SmtpSecurity.NONE);
    assertThat(config.smtp().concurrency()).isEqualTo(4);
    assertThat(config.smtp().workersPerConnection()).isEqualTo(2);
    assertThat(config.smtp().inDoubtWindow()).isEqualTo(SmtpConfig.DEFAULT_IN_DOUBT_WINDOW);
    assertThat(config.identity().from().getPersonal()).isEqualTo("Pressline");
    assertThat(config.identity().unsubscribeMailbox()).isEqualTo("unsubscribe@localhost");
    assertThat(config.identity().listId().header()).isEqualTo("\"Pressline\" <newsletter.localhost>");
    assertThat(config.groupPrefix()).isEqualTo("pressline.publisher");
    assertThat(config.adminToken()).isNull();
    assertThat(config.dkim()).isNull();
  }

  @Test
  void readsEverySmtpSettingAndKeepsSecretsOutOfToString() {
    PublisherConfig config = PublisherConfig.from(Settings.of(Map.of(
        "PRESSLINE_SMTP_HOST", "smtp.example.org", "PRESSLINE_SMTP_PORT", "587",
        "PRESSLINE_SMTP_SECURITY", "starttls", "PRESSLINE_SMTP_USERNAME", "mailer",
        "PRESSLINE_SMTP_PASSWORD", "hunter2-password", "PRESSLINE_SMTP_CONCURRENCY", "8",
        "PRESSLINE_MAIL_FROM", "Weekly <weekly@example.org>", "PRESSLINE_SIGNING_SECRET", "a-long-signing-secret-value",
        "PRESSLINE_ADMIN_TOKEN", "admin-token-value", "PRESSLINE_SMTP_RETRY_BACKOFF", "2s")));
    assertThat(config.smtp().security()).isEqualTo(SmtpSecurity.STARTTLS);
    assertThat(config.smtp().concurrency()).isEqualTo(8);
    assertThat(PublisherConfig.from(Settings.of(Map.of("PRESSLINE_SMTP_WORKERS_PER_CONNECTION", "3")))
        .smtp().workersPerConnection()).isEqualTo(3);
    assertThat(PublisherConfig.from(Settings.of(Map.of("PRESSLINE_MAIL_IN_DOUBT_WINDOW", "16")))
        .smtp().inDoubtWindow()).isEqualTo(16);
    assertThat(config.smtp().backoffAfter(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.smtp().backoffAfter(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(config.smtp().backoffAfter(30)).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.identity().unsubscribeMailbox()).isEqualTo("unsubscribe@example.org");
    assertThat(config.identity().listId().header()).isEqualTo("\"Weekly\" <weekly.example.org>");
    assertThat(PublisherConfig.from(Settings.of(Map.of("PRESSLINE_MAIL_FROM", "Weekly <weekly@example.org>",
        "PRESSLINE_CHANNEL_TITLE", "Heart Matters"))).identity().listId().header())
        .isEqualTo("\"Heart Matters\" <weekly.example.org>");
    assertThat(PublisherConfig.from(Settings.of(Map.of("PRESSLINE_MAIL_LIST_ID", "Our Letter <news.example.net>")))
        .identity().listId().header()).isEqualTo("\"Our Letter\" <news.example.net>");
    assertThat(config.toString()).doesNotContain("hunter2", "a-long-signing-secret", "admin-token-value");
  }

  @Test
  void badValuesNameTheirSetting() {
    assertThatThrownBy(() -> PublisherConfig.from(Settings.of(Map.of("PRESSLINE_SMTP_SECURITY", "maybe"))))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("PRESSLINE_SMTP_SECURITY");
    assertThatThrownBy(() -> PublisherConfig.from(Settings.of(Map.of("PRESSLINE_MAIL_LIST_ID", "no id"))))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("PRESSLINE_MAIL_LIST_ID");
    assertThatThrownBy(() -> PublisherConfig.from(Settings.of(Map.of("PRESSLINE_MAIL_FROM", "nobody"))))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("PRESSLINE_MAIL_FROM");
    assertThatThrownBy(() -> PublisherConfig.from(Settings.of(Map.of("PRESSLINE_PUBLISHER_BASE_URL", "ftp://x"))))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("PRESSLINE_PUBLISHER_BASE_URL");
    assertThatThrownBy(() -> PublisherConfig.from(Settings.of(Map.of("PRESSLINE_PUBLISHER_PORT", "70000"))))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("PRESSLINE_PUBLISHER_PORT");
    assertThatThrownBy(() -> PublisherConfig.from(Settings.of(Map.of("PRESSLINE_SMTP_WORKERS_PER_CONNECTION", "0"))))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("PRESSLINE_SMTP_WORKERS_PER_CONNECTION");
    assertThatThrownBy(() -> PublisherConfig.from(Settings.of(Map.of("PRESSLINE_MAIL_IN_DOUBT_WINDOW", "0"))))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("PRESSLINE_MAIL_IN_DOUBT_WINDOW");
    assertThatThrownBy(() -> PublisherConfig.from(Settings.of(Map.of("PRESSLINE_SIGNING_SECRET", "short"))))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("PRESSLINE_SIGNING_SECRET");
    assertThatThrownBy(() -> PublisherConfig.from(Settings.of(Map.of("PRESSLINE_DKIM_KEY_FILE", "/k.der"))))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("PRESSLINE_DKIM_DOMAIN");
  }
}
