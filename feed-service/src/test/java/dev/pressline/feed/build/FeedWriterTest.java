package dev.pressline.feed.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.rometools.modules.itunes.EntryInformation;
import com.rometools.modules.itunes.FeedInformation;
import com.rometools.modules.itunes.ITunes;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.XmlReader;
import dev.pressline.events.MediaRef;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.feed.podcastindex.PodcastGuid;
import dev.pressline.feed.podcastindex.PodcastIndexModule;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedWriterTest {

  private static final Instant AT = Instant.parse("2026-02-03T04:05:06Z");

  @TempDir Path media;

  private final SiteUrls urls =
      new SiteUrls("https://news.example.org/", "https://mail.example.org");
  private final ChannelInfo channel =
      new ChannelInfo(
          "Heart & Home",
          "Advice “for” couples",
          "Jane Doe",
          "owner@example.org",
          "en",
          "https://news.example.org/media/cover.jpg",
          "Society & Culture/Relationships",
          false,
          true,
          null);
  private final UUID showGuid = PodcastGuid.forFeedUrl(urls.podcast());

  @Test
  void writesPodcastFeedWithTheTagsApplePrefers() throws Exception {
    Files.writeString(media.resolve("abc123.vtt"), "WEBVTT\n");
    PostView episode = views().of(List.of(episode("ep-7", 3725L))).get(0);
    FeedWriter writer =
        new FeedWriter(channel, urls, showGuid.toString(), List.of("https://hub.example.org/"));

    String xml =
        new String(
            writer.write(FeedKind.PODCAST, List.of(episode), 1, 1, AT), StandardCharsets.UTF_8);

    assertThat(xml)
        .contains("<itunes:explicit>false</itunes:explicit>")
        .contains("<itunes:explicit>true</itunes:explicit>")
        .contains("<itunes:duration>3725</itunes:duration>")
        .doesNotContain(">yes</itunes:explicit>")
        .doesNotContain(">no</itunes:explicit>")
        .contains("<itunes:category text=\"Society &amp; Culture\">")
        .contains("<itunes:category text=\"Relationships\" />")
        .doesNotContain("<itunes:keywords")
        .contains("<podcast:guid>" + showGuid + "</podcast:guid>")
        .contains("<podcast:locked owner=\"owner@example.org\">yes</podcast:locked>")
        .contains(
            "<podcast:transcript url=\"https://news.example.org/media/abc123/ep-7.vtt\""
                + " type=\"text/vtt\"")
        .contains("rel=\"self\"")
        .contains("href=\"https://news.example.org/podcast.xml\"")
        .contains("rel=\"hub\"")
        .contains(
            "<enclosure url=\"https://news.example.org/media/abc123/ep-7.mp3\" length=\"123456\""
                + " type=\"audio/mpeg\"")
        .contains("<pubDate>Tue, 03 Feb 2026 04:05:06 GMT</pubDate>");

    SyndFeed feed = parse(xml);
    FeedInformation show = (FeedInformation) feed.getModule(ITunes.URI);
    assertThat(show.getOwnerEmailAddress()).isEqualTo("owner@example.org");
    assertThat(show.getImageUri()).isEqualTo("https://news.example.org/media/cover.jpg");
    assertThat(feed.getLanguage()).isEqualTo("en");
    PodcastIndexModule podcast = (PodcastIndexModule) feed.getModule(PodcastIndexModule.URI);
    assertThat(podcast.getGuid()).isEqualTo(showGuid.toString());
    assertThat(podcast.getLocked()).isTrue();
    SyndEntry entry = feed.getEntries().get(0);
    EntryInformation item = (EntryInformation) entry.getModule(ITunes.URI);
    assertThat(item.getEpisode()).isEqualTo(7);
    assertThat(item.getSeason()).isEqualTo(2);
    assertThat(item.getDuration().getMilliseconds()).isEqualTo(3_725_000L);
    assertThat(entry.getEnclosures().get(0).getLength()).isEqualTo(123_456L);
    assertThat(((PodcastIndexModule) entry.getModule(PodcastIndexModule.URI)).getTranscripts())
        .extracting(t -> t.type())
        .containsExactly("text/vtt");
    assertThat(entry.getUri()).isEqualTo("urn:uuid:" + PodcastGuid.uuid5(showGuid, "ep-7"));
  }

  @Test
  void articlesFeedCarriesFullContentCategoriesAndSanitisedHtml() throws Exception {
    PostEvent post =
        PostEvent.builder()
            .schemaVersion(1)
            .change(PostChange.PUBLISHED)
            .slug("hello")
            .title("Hello <World> & “friends”")
            .author("Ann")
            .summary("")
            .html("<p onclick=\"steal()\">Hi<script>alert(1)</script></p>")
            .text("Hi there")
            .publishAt(AT)
            .tags(List.of("love", "advice"))
            .email(true)
            .contentHash("h")
            .sourceFile("hello.txt")
            .ingestedAt(AT)
            .build();
    PostView view = views().of(List.of(post)).get(0);
    FeedWriter writer = new FeedWriter(channel, urls, showGuid.toString(), List.of());

    String xml =
        new String(
            writer.write(FeedKind.ARTICLES, List.of(view), 1, 1, AT), StandardCharsets.UTF_8);

    SyndFeed feed = parse(xml);
    SyndEntry entry = feed.getEntries().get(0);
    assertThat(entry.getTitle()).isEqualTo("Hello <World> & “friends”");
    assertThat(entry.getContents().get(0).getValue())
        .contains("Hi")
        .doesNotContain("script")
        .doesNotContain("onclick");
    assertThat(entry.getDescription().getValue()).isEqualTo("Hi there");
    assertThat(entry.getCategories())
        .extracting(c -> c.getName())
        .containsExactly("love", "advice");
    assertThat(entry.getLink()).isEqualTo("https://news.example.org/posts/hello");
    assertThat(xml).doesNotContain("itunes:").contains("content:encoded");
  }

  @Test
  void summaryMarkupReachesReadersAsTextNotAsHtml() throws Exception {
    PostEvent post =
        PostEvent.builder()
            .schemaVersion(1)
            .change(PostChange.PUBLISHED)
            .slug("s")
            .title("T")
            .author("")
            .summary("Hi <svg onload=alert(1)> & co")
            .html("<p>Body</p>")
            .text("Body")
            .publishAt(AT)
            .tags(List.of())
            .email(true)
            .contentHash("h")
            .sourceFile("s.md")
            .ingestedAt(AT)
            .build();
    FeedWriter writer = new FeedWriter(channel, urls, showGuid.toString(), List.of());

    String xml =
        new String(
            writer.write(FeedKind.ARTICLES, views().of(List.of(post)), 1, 1, AT),
            StandardCharsets.UTF_8);

    // what a reader gets after XML decoding is HTML that displays the characters literally
    assertThat(parse(xml).getEntries().get(0).getDescription().getValue())
        .isEqualTo("Hi &lt;svg onload&#61;alert(1)&gt; &amp; co")
        .doesNotContain("<svg");
  }

  @Test
  void pagedFeedLinksItsNeighboursPerRfc5005() throws Exception {
    FeedWriter writer = new FeedWriter(channel, urls, showGuid.toString(), List.of());

    String xml =
        new String(writer.write(FeedKind.ARTICLES, List.of(), 2, 3, AT), StandardCharsets.UTF_8);

    assertThat(xml)
        .contains("href=\"https://news.example.org/feed.xml?page=2\"")
        .containsPattern(
            "rel=\"first\"[^>]*href=\"https://news.example.org/feed.xml\"|href=\"https://news.example.org/feed.xml\"[^>]*rel=\"first\"")
        .contains("rel=\"previous\"")
        .contains("rel=\"next\"")
        .contains("rel=\"last\"")
        .contains("https://news.example.org/feed.xml?page=3");
  }

  @Test
  void charactersXmlCannotCarryAreDroppedInsteadOfBreakingTheFeed() throws Exception {
    PostEvent post =
        PostEvent.builder()
            .schemaVersion(1)
            .change(PostChange.PUBLISHED)
            .slug("ctl")
            .title("Bell\u0007 and \uFFFE “quotes” 😀")
            .author("")
            .summary("")
            .html("<p>NUL\u0000 here</p>")
            .text("text\u001b")
            .publishAt(AT)
            .tags(List.of("t\u0001"))
            .email(true)
            .contentHash("h")
            .sourceFile("ctl.txt")
            .ingestedAt(AT)
            .build();
    PostViews views = views();
    PostView view = views.of(List.of(post)).get(0);
    FeedWriter writer = new FeedWriter(channel, urls, showGuid.toString(), List.of());

    SyndFeed feed =
        parse(
            new String(
                writer.write(FeedKind.ARTICLES, List.of(view), 1, 1, AT), StandardCharsets.UTF_8));

    assertThat(feed.getEntries().get(0).getTitle()).isEqualTo("Bell and  “quotes” 😀");
    assertThat(feed.getEntries().get(0).getContents().get(0).getValue())
        .isEqualTo("<p>NUL here</p>");
    assertThat(views.of(List.of(post)).get(0)).as("unchanged post keeps its view").isSameAs(view);
  }

  @Test
  void emptyCatalogueGivesAValidFeedWithoutInventedDatesOrEmptyTags() throws Exception {
    ChannelInfo bare =
        new ChannelInfo("Bare", "Nothing yet", "Ann", "", "de", "", "Arts", true, false, null);
    FeedWriter writer = new FeedWriter(bare, urls, showGuid.toString(), List.of());

    String xml =
        new String(
            writer.write(FeedKind.PODCAST, List.of(), 1, 1, Instant.EPOCH), StandardCharsets.UTF_8);

    assertThat(xml)
        .doesNotContain("1970")
        .doesNotContain("<itunes:email")
        .doesNotContain("<pubDate>")
        .contains("<itunes:explicit>true</itunes:explicit>")
        .contains("<language>de</language>")
        .contains("<podcast:locked>no</podcast:locked>");
    assertThat(parse(xml).getEntries()).isEmpty();
  }

  @Test
  void itemGuidsDependOnTheShowGuidNotOnTheAddressSoAPinnedGuidSurvivesAMove() {
    PostEvent post = episode("moving", 10L);
    SiteUrls moved = new SiteUrls("https://podcasts.example.net", "https://mail.example.net");

    PostView before = views().of(List.of(post)).get(0);
    PostView after = new PostViews(moved, new SafeHtml(), media, showGuid).of(List.of(post)).get(0);
    PostView otherShow =
        new PostViews(urls, new SafeHtml(), media, UUID.randomUUID()).of(List.of(post)).get(0);

    assertThat(after.guid()).isEqualTo(before.guid());
    assertThat(after.url()).isNotEqualTo(before.url());
    assertThat(otherShow.guid()).isNotEqualTo(before.guid());
  }

  @Test
  void pageAssembledFromRememberedItemsIsTheSameAsRomeWritingTheWholePage() throws Exception {
    Files.writeString(media.resolve("abc123.vtt"), "WEBVTT\n");
    FeedWriter writer =
        new FeedWriter(channel, urls, showGuid.toString(), List.of("https://hub.example.org/"));
    PostViews views = views();
    List<PostEvent> posts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      posts.add(i % 3 == 0 ? episode("ep-" + i, 60L * i + 1) : article("post-" + i, i));
    }

    for (FeedKind kind : FeedKind.values()) {
      for (int page = 1; page <= 3; page++) {
        List<PostView> items = views.of(posts);
        FeedWriter.FeedPage written = writer.writePage(kind, items, page, 3, AT);
        assertThat(text(written.body()))
            .as(kind + " page " + page)
            .isEqualTo(text(writer.writeWhole(kind, items, page, 3, AT)));
        assertThat(GzipPartsTest.gunzip(written.gzipped())).isEqualTo(written.body());
      }
    }

    // one post changes: its item is written again, the others come from memory
    posts.set(4, article("post-4", 44));
    List<PostView> changed = views.of(posts);
    FeedWriter.FeedPage page = writer.writePage(FeedKind.ARTICLES, changed, 1, 1, AT);
    assertThat(GzipPartsTest.gunzip(page.gzipped())).isEqualTo(page.body());
    String assembled = text(page.body());
    assertThat(assembled)
        .isEqualTo(text(writer.writeWhole(FeedKind.ARTICLES, changed, 1, 1, AT)))
        .contains("Body 44&lt;")
        .doesNotContain("Body 4&lt;");
    assertThat(parse(assembled).getEntries()).hasSize(12);
  }

  @Test
  void forgetsTheItemsOfPostsNoLongerVisible() {
    FeedWriter writer = new FeedWriter(channel, urls, showGuid.toString(), List.of());
    List<PostView> items = views().of(List.of(article("a", 1), article("b", 2), article("c", 3)));
    writer.write(FeedKind.ARTICLES, items, 1, 1, AT);
    writer.write(FeedKind.PODCAST, items, 1, 1, AT);
    assertThat(writer.rememberedItems()).isEqualTo(6);

    writer.retainOnly(Set.of("b"));

    assertThat(writer.rememberedItems()).isEqualTo(2);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Posts that differ in the parts Rome writes differently: summary, author, tags, image. */
  private static PostEvent article(String slug, int n) {
    return PostEvent.builder()
        .schemaVersion(1)
        .change(n % 2 == 0 ? PostChange.PUBLISHED : PostChange.UPDATED)
        .slug(slug)
        .revision(n)
        .title("Title <" + n + "> & “more”")
        .author(n % 4 == 1 ? "" : "Ann Author")
        .summary(n % 5 == 2 ? "" : "Summary " + n)
        .html("<p>Body " + n + "</p><script>alert(1)</script><ul><li>x</li></ul>")
        .text("Body " + n + " " + "word ".repeat(n * 20))
        .publishAt(AT.minusSeconds(60L * n))
        .tags(n % 2 == 0 ? List.of("tag " + n, "advice") : List.of())
        .image(n % 3 == 1 ? new MediaRef("img" + n + ".jpg", "image/jpeg", 10L, null) : null)
        .email(true)
        .contentHash("h" + n)
        .sourceFile(slug + ".md")
        .ingestedAt(AT)
        .build();
  }

  private PostViews views() {
    return new PostViews(urls, new SafeHtml(), media, showGuid);
  }

  private static PostEvent episode(String slug, Long seconds) {
    return PostEvent.builder()
        .schemaVersion(1)
        .change(PostChange.PUBLISHED)
        .slug(slug)
        .title("Episode “seven”")
        .author("Sam")
        .summary("Seven things")
        .html("<p>Show notes</p>")
        .text("Show notes")
        .publishAt(AT)
        .tags(List.of())
        .audio(new MediaRef("abc123.mp3", "audio/mpeg", 123_456L, seconds))
        .explicit(true)
        .email(true)
        .episode(7)
        .season(2)
        .contentHash("h")
        .sourceFile(slug + ".md")
        .ingestedAt(AT)
        .build();
  }

  private static SyndFeed parse(String xml) throws Exception {
    return new SyndFeedInput()
        .build(new XmlReader(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
  }
}
