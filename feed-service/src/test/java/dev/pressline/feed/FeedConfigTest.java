package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.support.config.InvalidSettingException;
import dev.pressline.support.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedConfigTest {

  @Test
  void defaultsGiveAWorkingLocalService() {
    FeedConfig config = FeedConfig.from(Settings.of(Map.of()));

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.urls().feed()).isEqualTo("http://localhost:8080/feed.xml");
    assertThat(config.urls().subscribe()).isEqualTo("http://localhost:8081/subscribe");
    assertThat(config.mediaDir()).isEqualTo(Path.of("data/media"));
    assertThat(config.channel().language()).isEqualTo("en");
    assertThat(config.channel().explicit()).isFalse();
    assertThat(config.channel().podcastGuid()).isNull();
    // publisher-service's default sender, so itunes:owner always has its email
    assertThat(config.channel().ownerEmail()).isEqualTo("newsletter@localhost");
    assertThat(config.pageSize()).isEqualTo(100);
    assertThat(config.websubHubs()).isEmpty();
    assertThat(config.cacheMaxAge()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.kafka().topics().posts()).isEqualTo("pressline.posts");
  }

  @Test
  void readsEveryChannelSetting() {
    FeedConfig config =
        FeedConfig.from(
            Settings.of(
                Map.ofEntries(
                    Map.entry("PRESSLINE_FEED_PORT", "0"),
                    Map.entry("PRESSLINE_PUBLIC_BASE_URL", "https://news.example.org/"),
                    Map.entry("PRESSLINE_CHANNEL_TITLE", "Heart “Matters”"),
                    Map.entry("PRESSLINE_CHANNEL_EXPLICIT", "yes"),
                    Map.entry("PRESSLINE_CHANNEL_LANGUAGE", "en-GB"),
                    Map.entry("PRESSLINE_CHANNEL_CATEGORY", "Society & Culture/Relationships"),
                    Map.entry(
                        "PRESSLINE_CHANNEL_PODCAST_GUID", "917393E3-1B1E-5CEF-ACE4-EDAA54E1F810"),
                    Map.entry(
                        "PRESSLINE_FEED_WEBSUB_HUBS",
                        "https://hub.example.org/, https://pubsubhubbub.example.com"),
                    Map.entry("PRESSLINE_FEED_PAGE_SIZE", "25"))));

    assertThat(config.port()).isZero();
    assertThat(config.urls().post("a")).isEqualTo("https://news.example.org/posts/a");
    assertThat(config.channel().title()).isEqualTo("Heart “Matters”");
    assertThat(config.channel().explicit()).isTrue();
    assertThat(config.channel().language()).isEqualTo("en-GB");
    assertThat(config.channel().podcastGuid()).isEqualTo("917393e3-1b1e-5cef-ace4-edaa54e1f810");
    assertThat(config.websubHubs())
        .containsExactly(
            URI.create("https://hub.example.org/"), URI.create("https://pubsubhubbub.example.com"));
    assertThat(config.pageSize()).isEqualTo(25);
  }

  @Test
  void rejectsValuesTheServiceCannotUseNamingTheSetting() {
    for (Map.Entry<String, String> bad :
        List.of(
            Map.entry("PRESSLINE_FEED_PORT", "80000"),
            Map.entry("PRESSLINE_PUBLIC_BASE_URL", "news.example.org"),
            Map.entry("PRESSLINE_PUBLISHER_BASE_URL", "javascript:alert(1)"),
            Map.entry("PRESSLINE_CHANNEL_LANGUAGE", "English please"),
            Map.entry("PRESSLINE_CHANNEL_OWNER_EMAIL", "owner\r\nBcc: x@example.org"),
            Map.entry("PRESSLINE_CHANNEL_IMAGE_URL", "file:///etc/passwd"),
            Map.entry("PRESSLINE_CHANNEL_EXPLICIT", "maybe"),
            Map.entry("PRESSLINE_CHANNEL_PODCAST_GUID", "not-a-uuid"),
            Map.entry("PRESSLINE_FEED_WEBSUB_HUBS", "ftp://hub.example.org"),
            Map.entry("PRESSLINE_FEED_PAGE_SIZE", "0"),
            Map.entry("PRESSLINE_MAIL_FROM", "Letter <not an address>"))) {
      assertThatThrownBy(() -> FeedConfig.from(Settings.of(Map.of(bad.getKey(), bad.getValue()))))
          .as(bad.getKey())
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageContaining(bad.getKey());
    }
  }
}
