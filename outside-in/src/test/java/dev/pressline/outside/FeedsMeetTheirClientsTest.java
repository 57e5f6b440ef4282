package dev.pressline.outside;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The feeds of {@code ./pipeline up} (the launcher jar) as feed readers, podcast apps and the W3C
 * validator's rules see them.
 */
@ExtendWith(LaunchedPipeline.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedsMeetTheirClientsTest {

  private static final String DC = "http://purl.org/dc/elements/1.1/";
  private static final String ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd";
  private static final String PODCAST = "https://podcastindex.org/namespace/1.0";
  /** Podcasting 2.0's namespace for {@code podcast:guid} (UUIDv5 of the feed URL). */
  private static final UUID PODCAST_GUID_NAMESPACE = UUID.fromString("ead4c236-bf58-58c6-a2c6-a6b28d128cb6");

  private final Web web = new Web();
  private LaunchedPipeline pipeline;
  @TempDir Path dir;

  @BeforeAll
  void publishSamples(LaunchedPipeline pipeline) throws IOException {
    this.pipeline = pipeline;
    SamplePosts.publish(pipeline);
  }

  @Test
  void feedparserReadsBothFeedsWithoutComplaint() throws IOException {
    String python = Tools.requirePythonModule("feedparser", "python3-feedparser");
    String script =
        String.join(
            "\n",
            "import sys, feedparser",
            "d = feedparser.parse(sys.argv[1])",
            "print('bozo', bool(d.bozo), repr(d.get('bozo_exception')))",
            "print('entries', len(d.entries))",
            "for e in d.entries:",
            "    print('title', e.get('title'))");
    int seeds = SamplePosts.seeds().size();
    for (String feed : List.of("/feed.xml", "/podcast.xml")) {
      Tools.Result result =
          Tools.run(List.of(python, "-c", script, pipeline.feedBase() + feed), Map.of(), 120);
      assertThat(result.output()).as(feed + ": " + result.output()).contains("bozo False");
      assertThat(result.output()).as(feed).contains("title " + SamplePosts.EPISODE_TITLE);
      if (feed.equals("/feed.xml")) {
        assertThat(result.output()).as(feed).contains("entries " + (seeds + 1));
      }
    }
  }

  @Test
  void channelsAndItemsFollowTheFeedValidatorsRules() throws Exception {
    for (String feed : List.of("/feed.xml", "/podcast.xml")) {
      Element channel = channel(feed);
      assertThat(bothPresent(channel, "pubDate", DC, "date"))
          .as("%s: a channel should not include both pubDate and dc:date", feed)
          .isFalse();
      assertThat(bothPresent(channel, "language", DC, "language"))
          .as("%s: a channel should not include both language and dc:language", feed)
          .isFalse();
      for (Element item : children(channel, null, "item")) {
        assertThat(bothPresent(item, "pubDate", DC, "date"))
            .as("%s: an item should not include both pubDate and dc:date (%s)", feed, text(item, null, "title"))
            .isFalse();
      }
    }
  }

  @Test
  void podcastFeedHasWhatDirectoriesRequire() throws Exception {
    Element channel = channel("/podcast.xml");
    List<Element> owners = children(channel, ITUNES, "owner");
    assertThat(owners).as("itunes:owner").hasSize(1);
    assertThat(text(owners.get(0), ITUNES, "email")).as("itunes:owner/itunes:email").contains("@");

    List<Element> images = children(channel, ITUNES, "image");
    assertThat(images).as("itunes:image").hasSize(1);
    String cover = images.get(0).getAttribute("href");
    var response = web.get(cover);
    assertThat(response.statusCode()).as("GET " + cover).isEqualTo(200);
    var image = ImageIO.read(new ByteArrayInputStream(response.body()));
    assertThat(image).as("%s is an image Java can read", cover).isNotNull();
    assertThat(image.getWidth()).as("cover width").isBetween(1400, 3000);
    assertThat(image.getHeight()).as("cover is square").isEqualTo(image.getWidth());
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).isIn("image/png", "image/jpeg"));

    String feedUrl = pipeline.feedBase() + "/podcast.xml";
    assertThat(text(channel, PODCAST, "guid"))
        .as("podcast:guid is the UUIDv5 of the feed URL without scheme")
        .isEqualTo(uuidV5(PODCAST_GUID_NAMESPACE, feedUrl.replaceFirst("^[a-z]+://", "").replaceAll("/+$", "")).toString());
    assertThat(children(channel, PODCAST, "locked")).as("podcast:locked").hasSize(1);
    assertThat(children(channel, ITUNES, "category")).as("itunes:category").isNotEmpty();
    assertThat(children(channel, ITUNES, "explicit")).as("itunes:explicit").hasSize(1);
  }

  @Test
  void gpodderSubscribesListsAndDownloadsUnderAReadableName() throws IOException {
    String gpo = Tools.require("gpo", "gpodder");
    Path downloads = Files.createDirectories(dir.resolve("gpodder-downloads"));
    Map<String, String> env =
        Map.of(
            "GPODDER_HOME", Files.createDirectories(dir.resolve("gpodder")).toString(),
            "GPODDER_DOWNLOAD_DIR", downloads.toString());
    String url = pipeline.feedBase() + "/podcast.xml";
    Tools.Result subscribe = Tools.run(List.of(gpo, "subscribe", url), env, 120);
    assertThat(subscribe.output()).as(subscribe.output()).doesNotContainIgnoringCase("error");
    Tools.Result episodes = Tools.run(List.of(gpo, "episodes", url), env, 120);
    assertThat(episodes.output()).as(episodes.output()).contains(SamplePosts.EPISODE_TITLE);
    Tools.Result download = Tools.run(List.of(gpo, "download", url), env, 300);
    assertThat(download.output()).as(download.output()).doesNotContainIgnoringCase("failed");

    Path saved = onlyFile(downloads);
    assertThat(saved.getFileName().toString())
        .as("gPodder names the download after the episode's URL")
        .contains(SamplePosts.EPISODE_SLUG)
        .endsWith(".mp3");
    assertThat(Files.readAllBytes(saved)).as("the downloaded audio").isEqualTo(SamplePosts.AUDIO);
  }

  @Test
  void newsboatListsEveryPostWithItsTitle() throws Exception {
    String newsboat = Tools.require("newsboat", "newsboat");
    String python = Tools.require("/usr/bin/python3", "python3");
    Path urls = Files.writeString(dir.resolve("urls"), pipeline.feedBase() + "/feed.xml\n");
    Path cache = dir.resolve("cache.db");
    Path config = Files.writeString(dir.resolve("config"), "");
    Tools.Result reload =
        Tools.run(
            List.of(newsboat, "-u", urls.toString(), "-c", cache.toString(), "-C", config.toString(), "-x", "reload"),
            Map.of("HOME", dir.toString()), 120);
    assertThat(reload.exitCode()).as(reload.output()).isZero();
    Tools.Result titles =
        Tools.run(
            List.of(python, "-c",
                "import sqlite3, sys\n"
                    + "for (t,) in sqlite3.connect(sys.argv[1]).execute('select title from rss_item'):\n"
                    + "    print(t)",
                cache.toString()),
            Map.of(), 60);
    List<String> listed = titles.output().lines().toList();
    assertThat(listed).as(titles.output()).containsAll(feedTitles("/feed.xml"));
  }

  @Test
  void podgetDownloadsTheEpisodeUnderAReadableName() throws IOException {
    String podget = Tools.require("podget", "podget");
    Path config = Files.createDirectories(dir.resolve("podget-config"));
    Path library = Files.createDirectories(dir.resolve("podget-library"));
    Tools.Result create =
        Tools.run(List.of(podget, "-d", config.toString(), "--create-config", "podgetrc"), Map.of("HOME", dir.toString()), 60);
    assertThat(Files.exists(config.resolve("podgetrc"))).as(create.output()).isTrue();
    Files.writeString(config.resolve("serverlist"), pipeline.feedBase() + "/podcast.xml Tests Harbour\n");
    Tools.Result run =
        Tools.run(
            List.of(podget, "-d", config.toString(), "-l", library.toString(), "--serverlist", "serverlist", "-n"),
            Map.of("HOME", dir.toString()), 300);
    List<Path> mp3s;
    try (Stream<Path> files = Files.walk(library)) {
      mp3s = files.filter(p -> p.toString().endsWith(".mp3")).toList();
    }
    assertThat(mp3s).as(run.output()).hasSize(1);
    assertThat(mp3s.get(0).getFileName().toString()).as(run.output()).contains(SamplePosts.EPISODE_SLUG);
    assertThat(Files.readAllBytes(mp3s.get(0))).isEqualTo(SamplePosts.AUDIO);
  }

  private List<String> feedTitles(String feed) throws Exception {
    List<String> titles = new ArrayList<>();
    for (Element item : children(channel(feed), null, "item")) {
      titles.add(text(item, null, "title"));
    }
    return titles;
  }

  private static Path onlyFile(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> regular = files.filter(Files::isRegularFile).toList();
      assertThat(regular).as("files under " + root).hasSize(1);
      return regular.get(0);
    }
  }

  private Element channel(String feed) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc =
        factory.newDocumentBuilder().parse(new ByteArrayInputStream(web.get(pipeline.feedBase() + feed).body()));
    return children(doc.getDocumentElement(), null, "channel").get(0);
  }

  private static boolean bothPresent(Element parent, String plain, String ns, String qualified) {
    return !children(parent, null, plain).isEmpty() && !children(parent, ns, qualified).isEmpty();
  }

  /** Direct children named {@code local} in namespace {@code ns} (null: no namespace). */
  private static List<Element> children(Element parent, String ns, String local) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e
          && local.equals(e.getLocalName())
          && java.util.Objects.equals(ns, e.getNamespaceURI())) {
        found.add(e);
      }
    }
    return found;
  }

  private static String text(Element parent, String ns, String local) {
    List<Element> found = children(parent, ns, local);
    return found.isEmpty() ? null : found.get(0).getTextContent().trim();
  }

  /** RFC 4122 name-based UUID, SHA-1 (version 5). */
  static UUID uuidV5(UUID namespace, String name) throws Exception {
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    sha1.update(ByteBuffer.allocate(16)
        .putLong(namespace.getMostSignificantBits())
        .putLong(namespace.getLeastSignificantBits())
        .array());
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(b.getLong(), b.getLong());
  }

  static URI uri(String s) {
    return URI.create(s);
  }
}
