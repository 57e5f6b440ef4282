package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.MediaRef;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.feed.build.ChannelInfo;
import dev.pressline.feed.build.FeedWriter;
import dev.pressline.feed.build.PostViews;
import dev.pressline.feed.build.SafeHtml;
import dev.pressline.feed.build.SiteUrls;
import dev.pressline.feed.catalog.Catalog;
import dev.pressline.feed.catalog.PostIntake;
import dev.pressline.feed.podcastindex.PodcastGuid;
import dev.pressline.feed.site.SiteBuilder;
import dev.pressline.feed.site.SiteRefresher;
import dev.pressline.feed.site.SiteSnapshot;
import dev.pressline.feed.web.PageRenderer;
import dev.pressline.feed.websub.HubNotifier;
import dev.pressline.support.health.StallWatch;
import dev.pressline.support.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A property, checked with a seeded generator: whatever valid-but-extreme post events arrive (dates
 * at the ends of time, huge and empty strings, control characters, absurd durations and sizes,
 * missing optional fields, unknown schema versions, keys that are not the slug), the feed's intake
 * and rebuild never throw, the refresher keeps running, every page can be rendered, and a good post
 * sent afterwards is published.
 */
class ExtremeEventsTest {

  private static final int ROUNDS = 120;
  private static final int EVENTS_PER_ROUND = 4;
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path media;

  private final SiteUrls urls = new SiteUrls("https://news.example.org", "https://mail.example.org");
  private final ChannelInfo channel =
      new ChannelInfo(
          "Heart Matters", "Advice", "Jane", "owner@example.org", "en",
          "https://news.example.org/cover.png", "Arts", false, false, null);

  @Test
  void randomExtremeEventsNeverStopTheFeed() throws Exception {
    for (long seed : new long[] {1, 2, 3}) {
      checkWithSeed(seed);
    }
  }

  private void checkWithSeed(long seed) throws Exception {
    Files.writeString(media.resolve("abc123.vtt"), "WEBVTT\n");
    Random random = new Random(seed);
    Catalog catalog = new Catalog();
    PostIntake intake = new PostIntake(catalog);
    UUID guid = PodcastGuid.forFeedUrl(urls.podcast());
    SiteBuilder builder =
        new SiteBuilder(
            new PostViews(urls, new SafeHtml(), media, guid),
            new FeedWriter(channel, urls, guid.toString(), List.of()),
            new PageRenderer(channel, urls),
            3);
    ManualClock clock = new ManualClock(NOW);
    try (SiteRefresher refresher =
        new SiteRefresher(
                catalog, builder, clock, new HubNotifier(List.of()), urls, Duration.ofMillis(20),
                new StallWatch("the site refresher", clock, Duration.ofMinutes(5)))
            .start()) {
      refresher.caughtUp();
      for (int round = 0; round < ROUNDS; round++) {
        List<PostEvent> sent = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_ROUND; i++) {
          PostEvent event = event(random);
          String key = random.nextInt(20) == 0 ? text(random) : event.slug();
          sent.add(event);
          assertThatCode(() -> intake.accept(key, event))
              .as("seed %d round %d: %s", seed, round, event)
              .doesNotThrowAnyException();
        }
        // time passes too, so scheduled posts come due
        clock.advance(Duration.ofHours(random.nextInt(48)));
        long before = refresher.stats().builds() + refresher.stats().failures();
        refresher.catalogChanged();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> refresher.stats().builds() + refresher.stats().failures() > before);
        String what = "seed " + seed + " round " + round + ": " + shortened(sent.toString());
        assertThat(refresher.stats().failures()).as(what).isZero();
        assertThat(refresher.isRunning()).as(what).isTrue();
        SiteSnapshot site = refresher.current();
        assertThatCode(() -> touchEveryPage(site)).as(what).doesNotThrowAnyException();
      }

      PostEvent good = Posts.post("good-" + seed, "Good " + seed, clock.instant().minusSeconds(1));
      assertThat(intake.accept(good.slug(), good)).isTrue();
      refresher.catalogChanged();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> refresher.current().visibleSlugs().contains(good.slug()));
      assertThat(refresher.isRunning()).isTrue();
    }
  }

  /** Renders every page a reader could ask for (most are rendered on first request). */
  private static void touchEveryPage(SiteSnapshot site) {
    int pages = 0;
    while (site.feedPage(pages + 1).isPresent()) {
      pages++;
      site.indexPage(pages).orElseThrow();
    }
    int podcastPages = 0;
    while (site.podcastPage(podcastPages + 1).isPresent()) {
      podcastPages++;
    }
    for (String slug : site.visibleSlugs()) {
      site.post(slug).orElseThrow();
    }
  }

  private static PostEvent event(Random r) {
    return PostEvent.builder()
        .schemaVersion(pick(r, 1, 0, -1, 2, 99, Integer.MAX_VALUE, Integer.MIN_VALUE))
        .change(PostChange.values()[r.nextInt(PostChange.values().length)])
        .slug(slug(r))
        .revision(pick(r, 1, 2, 0, -1, Integer.MAX_VALUE))
        .title(text(r))
        .author(r.nextBoolean() ? null : text(r))
        .summary(r.nextBoolean() ? null : text(r))
        .html(r.nextBoolean() ? null : html(r))
        .text(r.nextBoolean() ? null : text(r))
        .publishAt(instant(r))
        .tags(r.nextBoolean() ? null : List.of(text(r), text(r)))
        .audio(r.nextBoolean() ? null : media(r, "mp3"))
        .image(r.nextInt(3) == 0 ? media(r, "jpg") : null)
        .explicit(r.nextBoolean())
        .email(r.nextBoolean())
        .episode(r.nextBoolean() ? null : pick(r, 1, 0, -7, Integer.MAX_VALUE, Integer.MIN_VALUE))
        .season(r.nextBoolean() ? null : pick(r, 1, 0, -7, Integer.MAX_VALUE, Integer.MIN_VALUE))
        .contentHash(r.nextBoolean() ? null : text(r))
        .sourceFile(r.nextBoolean() ? null : text(r))
        .ingestedAt(r.nextBoolean() ? null : instant(r))
        .resend(r.nextBoolean())
        .build();
  }

  private static MediaRef media(Random r, String extension) {
    String name =
        switch (r.nextInt(6)) {
          case 0 -> "abc123." + extension;
          case 1 -> "../../etc/passwd";
          case 2 -> "";
          case 3 -> "a b/ü?#." + extension;
          case 4 -> ".hidden";
          default -> text(r);
        };
    return new MediaRef(
        name,
        r.nextBoolean() ? "audio/mpeg" : text(r),
        pickLong(r, 0, 1, Long.MAX_VALUE, 123_456),
        r.nextBoolean() ? null : pickLong(r, 0, -1, 1, Long.MAX_VALUE, Long.MIN_VALUE, 3725));
  }

  private static String slug(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> "";
      case 1 -> "a b/../c?d#e";
      case 2 -> "ü-\u0000-\u202e";
      case 3 -> "x".repeat(3000);
      default -> "post-" + r.nextInt(12);
    };
  }

  private static Instant instant(Random r) {
    return switch (r.nextInt(10)) {
      case 0 -> Instant.MIN;
      case 1 -> Instant.MAX;
      case 2 -> Instant.parse("+999999999-12-31T00:00:00Z");
      case 3 -> Instant.parse("-999999999-01-01T00:00:00Z");
      case 4 -> Instant.EPOCH;
      case 5 -> Instant.parse("0001-01-01T00:00:00Z");
      case 6 -> Instant.parse("9999-12-31T23:59:59Z");
      case 7 -> Instant.ofEpochSecond(
          Instant.MIN.getEpochSecond()
              + (long) (r.nextDouble() * (Instant.MAX.getEpochSecond() - (double) Instant.MIN.getEpochSecond())));
      default -> NOW.plusSeconds(r.nextInt(200_000) - 100_000);
    };
  }

  private static String text(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> "";
      case 1 -> " \t\n ";
      case 2 -> "ctl \u0000\u0001\u0007\u001b[31m\u007f\u0085 end";
      case 3 -> "\ud800 lone surrogates \udc00 \ufffe\uffff";
      case 4 -> "<script>alert(1)</script>]]>&amp;&#0;\"'";
      case 5 -> "long ".repeat(4000);
      case 6 -> "🎙️ émission “spéciale” – 日本語 עברית";
      case 7 -> "%00%2F..%5c\r\nBcc: x@example.org";
      default -> "Plain title " + r.nextInt(1000);
    };
  }

  private static String html(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> "<p>" + text(r) + "</p>";
      case 1 -> "<div><p>unclosed <b>bold <i>deep".repeat(300);
      case 2 -> "<img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">x</a>";
      default -> text(r);
    };
  }

  private static String shortened(String s) {
    return s.length() <= 3000 ? s : s.substring(0, 3000) + "…";
  }

  private static int pick(Random r, int... values) {
    return values[r.nextInt(values.length)];
  }

  private static long pickLong(Random r, long... values) {
    return values[r.nextInt(values.length)];
  }
}
