package dev.pressline.feed.podcastindex;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class PodcastGuidTest {

  @Test
  void matchesTheExamplesPublishedWithTheSpecification() {
    assertThat(PodcastGuid.forFeedUrl("https://mp3s.nashownotes.com/pc20rss.xml"))
        .isEqualTo(UUID.fromString("917393e3-1b1e-5cef-ace4-edaa54e1f810"));
    assertThat(PodcastGuid.forFeedUrl("podnews.net/rss"))
        .isEqualTo(UUID.fromString("9b024349-ccf0-5f69-a609-6b82873eab3c"));
  }

  @Test
  void ignoresSchemeAndTrailingSlashes() {
    UUID expected = UUID.fromString("9b024349-ccf0-5f69-a609-6b82873eab3c");
    assertThat(PodcastGuid.forFeedUrl("https://podnews.net/rss/")).isEqualTo(expected);
    assertThat(PodcastGuid.forFeedUrl("http://podnews.net/rss////")).isEqualTo(expected);
  }

  @Test
  void isAVersionFiveRfcVariantUuid() {
    UUID uuid = PodcastGuid.uuid5(PodcastGuid.PODCAST_NAMESPACE, "example.org/podcast.xml");
    assertThat(uuid.version()).isEqualTo(5);
    assertThat(uuid.variant()).isEqualTo(2);
  }
}
