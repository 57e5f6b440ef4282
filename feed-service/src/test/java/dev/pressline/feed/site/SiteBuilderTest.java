package dev.pressline.feed.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pressline.events.MediaRef;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.feed.Posts;
import dev.pressline.feed.build.ChannelInfo;
import dev.pressline.feed.build.FeedWriter;
import dev.pressline.feed.build.PostViews;
import dev.pressline.feed.build.SafeHtml;
import dev.pressline.feed.build.SiteUrls;
import dev.pressline.feed.web.PageRenderer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteBuilderTest {

  private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");
  private static final int PAGE_SIZE = 5;

  @TempDir Path media;

  private final SiteUrls urls = new SiteUrls("https://news.example.org", "https://mail.example.org");
  private final ChannelInfo channel =
      new ChannelInfo(
          "Heart Matters", "Advice", "Jane", "owner@example.org", "en", "", "Arts", false, false,
          null);

  @Test
  void catalogueBuiltOnceAtStartServesTheSameBytesAsBuildingItEventByEvent() {
    List<PostEvent> events = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      events.add(post("post-" + i, i, i % 4 == 0));
    }
    // later events change and withdraw posts that are already on pages
    events.add(post("post-3", 103, false));
    events.add(post("post-20", 120, true));
    events.add(retracted("post-7"));

    SiteBuilder eventByEvent = builder();
    Map<String, PostEvent> catalogue = new LinkedHashMap<>();
    SiteSnapshot incremental = null;
    for (PostEvent event : events) {
      catalogue.put(event.slug(), event);
      incremental = eventByEvent.build(visible(catalogue), AT, AT);
      touchEveryPage(incremental); // older pages and post pages rendered on the way, as by readers
    }
    SiteSnapshot atStart = builder().build(visible(catalogue), AT, AT);

    assertThat(atStart.visibleSlugs()).hasSize(22).isEqualTo(incremental.visibleSlugs());
    for (int page = 1; page <= 5; page++) {
      int p = page;
      assertSameBytes(atStart, incremental, s -> s.feedPage(p).orElse(null), "feed page " + p);
      assertSameBytes(atStart, incremental, s -> s.podcastPage(p).orElse(null), "podcast " + p);
      assertSameBytes(atStart, incremental, s -> s.indexPage(p).orElse(null), "index " + p);
    }
    for (String slug : atStart.visibleSlugs()) {
      assertSameBytes(atStart, incremental, s -> s.post(slug).orElseThrow(), slug);
    }
    String firstPage = text(atStart.feedPage(1).orElseThrow().body());
    assertThat(firstPage).contains("Body 120").doesNotContain("Body 20&lt;");
    assertThat(text(atStart.feedPage(4).orElseThrow().body())).contains("Body 103");
    assertThat(atStart.post("post-7")).isEmpty();
    assertThat(atStart.feedPage(6)).isEmpty();
  }

  @Test
  void unchangedPostKeepsItsRenderedPageAcrossBuilds() {
    SiteBuilder builder = builder();
    SiteSnapshot first =
        builder.build(List.of(post("post-2", 2, false), post("post-1", 1, false)), AT, AT);
    SiteSnapshot second =
        builder.build(List.of(post("post-2", 22, false), post("post-1", 1, false)), AT, AT);

    assertThat(second.samePost(first, "post-1")).isTrue();
    assertThat(second.samePost(first, "post-2")).isFalse();
    assertThat(text(second.post("post-2").orElseThrow().body())).contains("Body 22");
  }

  private SiteBuilder builder() {
    UUID guid = UUID.nameUUIDFromBytes("show".getBytes(StandardCharsets.UTF_8));
    return new SiteBuilder(
        new PostViews(urls, new SafeHtml(), media, guid),
        new FeedWriter(channel, urls, guid.toString(), List.of()),
        new PageRenderer(channel, urls),
        PAGE_SIZE);
  }

  private static List<PostEvent> visible(Map<String, PostEvent> catalogue) {
    return catalogue.values().stream()
        .filter(p -> p.isVisibleAt(AT))
        .sorted(Comparator.comparing(PostEvent::publishAt).reversed())
        .toList();
  }

  private static void touchEveryPage(SiteSnapshot snapshot) {
    for (int page = 1; page <= 5; page++) {
      snapshot.feedPage(page);
      snapshot.podcastPage(page);
      snapshot.indexPage(page);
    }
    snapshot.visibleSlugs().forEach(snapshot::post);
  }

  private static void assertSameBytes(
      SiteSnapshot expected,
      SiteSnapshot actual,
      Function<SiteSnapshot, Representation> which,
      String what) {
    Representation want = which.apply(expected);
    Representation got = which.apply(actual);
    if (want == null) {
      assertThat(got).as(what).isNull();
      return;
    }
    assertThat(text(got.body())).as(what).isEqualTo(text(want.body()));
    assertThat(got.etag()).as(what).isEqualTo(want.etag());
    assertThat(gunzip(got.gzipped())).as(what + " gzip").isEqualTo(got.body());
  }

  private static byte[] gunzip(byte[] gzip) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static PostEvent post(String slug, int n, boolean episode) {
    // the number sets the body; the slug fixes the publication time, so an update keeps its place
    int order = Integer.parseInt(slug.substring(slug.indexOf('-') + 1));
    return PostEvent.builder()
        .change(n >= 100 ? PostChange.UPDATED : PostChange.PUBLISHED)
        .slug(slug)
        .revision(n >= 100 ? 2 : 1)
        .title("Title " + slug)
        .author("Ann")
        .summary("Summary " + n)
        .html("<p>Body " + n + "</p>")
        .text("Body " + n)
        .publishAt(AT.minusSeconds(3600L * (100 - order)))
        .tags(List.of("t" + n % 3))
        .audio(episode ? new MediaRef(slug + ".mp3", "audio/mpeg", 1000L + n, 60L + n) : null)
        .email(true)
        .episode(episode ? n : null)
        .contentHash("hash-" + n)
        .sourceFile(slug + ".md")
        .ingestedAt(AT.minusSeconds(3600L * (100 - order)))
        .build();
  }

  private static PostEvent retracted(String slug) {
    return Posts.retracted(post(slug, 7, false), AT);
  }
}
