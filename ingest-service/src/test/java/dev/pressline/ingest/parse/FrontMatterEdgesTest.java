package dev.pressline.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Issue 10 #4: front-matter values at the edges of their types are refused with a plain reason. */
class FrontMatterEdgesTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private final PostParser parser = new PostParser(ZoneOffset.UTC, Clock.fixed(NOW, ZoneOffset.UTC));

  private ParsedPost parse(String field) {
    String text = "---\ntitle: Edges\n" + field + "\n---\nBody.\n";
    return parser.parse("post.md", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesDatesNoPublicationCanHave() {
    for (String date : new String[] {"+999999999-12-31T00:00:00Z", "-999999999-01-01T00:00:00Z", "1899-12-31",
        "0001-01-01T00:00:00Z", "2037-01-01"}) {
      assertThatThrownBy(() -> parse("date: " + date)).as(date)
          .isInstanceOf(RejectedPostException.class).hasMessageContaining("not a date a post can have");
    }
  }

  @Test
  void takesDatesFrom1900ToTenYearsAhead() {
    assertThat(parse("date: 1900-01-01").meta().publishAt()).isEqualTo(Instant.parse("1900-01-01T00:00:00Z"));
    assertThat(parse("date: 2036-12-03").meta().publishAt()).isEqualTo(Instant.parse("2036-12-03T00:00:00Z"));
  }

  @Test
  void refusesDatesWrittenAsNumbers() {
    for (String date : new String[] {"1733313600", "20261122", "1.5e9"}) {
      assertThatThrownBy(() -> parse("date: " + date)).as(date)
          .isInstanceOf(RejectedPostException.class).hasMessageContaining("is not a date");
    }
  }

  @Test
  void refusesEpisodeAndSeasonNumbersBeyondAnyShow() {
    for (String n : new String[] {"99999999999999999999", "2147483648", "100001", "-1", "1e3", "0x10", "12.5"}) {
      assertThatThrownBy(() -> parse("episode: " + n)).as(n)
          .isInstanceOf(RejectedPostException.class).hasMessageContaining("whole number from 0 to 100000");
      assertThatThrownBy(() -> parse("season: " + n)).as(n).isInstanceOf(RejectedPostException.class);
    }
    assertThat(parse("episode: 100000").meta().episode()).isEqualTo(100_000);
  }

  @Test
  void refusesVeryLongListsOfTagsAndOverlongTags() {
    String many = IntStream.range(0, 5_000).mapToObj(i -> "t" + i).collect(Collectors.joining(", ", "[", "]"));
    assertThatThrownBy(() -> parse("tags: " + many)).hasMessageContaining("at most 50 tags");
    assertThatThrownBy(() -> parse("tags: [" + "x".repeat(101) + "]")).hasMessageContaining("at most 100 characters");
    assertThat(parse("tags: [" + "x".repeat(100) + ", b]").meta().tags()).hasSize(2);
  }
}
