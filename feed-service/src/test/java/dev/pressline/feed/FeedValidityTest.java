package dev.pressline.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.MediaRef;
import dev.pressline.support.config.Settings;
import dev.pressline.support.kafka.KafkaSettings;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The feeds as the W3C Feed Validation Service and Apple Podcasts read them: no element said twice
 * (RSS and Dublin Core), an owner email, and cover art that exists and has the size Apple asks for.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FeedValidityTest {

  private static final String RSS = "";
  private static final String DC = "http://purl.org/dc/elements/1.1/";
  private static final String ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd";

  private final RunningFeed client = new RunningFeed();

  @TempDir Path media;

  @Test
  void feedsSayNothingTwiceAndPodcastHasOwnerEmailAndACoverOfAppleSize(KafkaBroker broker)
      throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    Map<String, String> values = RunningFeed.bareValues(kafka, media);
    // no owner email and no cover configured: the sender address of the newsletter and a made cover
    values.put("PRESSLINE_MAIL_FROM", "Heart “Matters” Letter <letter@news.example.org>");
    FeedConfig config = FeedConfig.from(Settings.of(values));
    Files.write(media.resolve("a.mp3"), new byte[9]);
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC());
        Posts posts = new Posts(kafka)) {
      posts.send(Posts.post("one", "One", Instant.now().minusSeconds(60)));
      posts.send(
          Posts.episode(
              "two",
              "Two",
              Instant.now().minusSeconds(30),
              new MediaRef("a.mp3", "audio/mpeg", 9, 9L)));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  client.get(feed, "/feed.xml").body().contains("One")
                      && client.get(feed, "/podcast.xml").body().contains("Two"));

      for (String path : List.of("/feed.xml", "/podcast.xml")) {
        Element channel = channel(client.getBytes(feed, path).body());
        assertThat(children(channel, RSS, "pubDate")).as(path + " pubDate").hasSize(1);
        assertThat(children(channel, DC, "date")).as(path + " channel dc:date").isEmpty();
        assertThat(children(channel, RSS, "language")).as(path + " language").hasSize(1);
        assertThat(children(channel, DC, "language")).as(path + " dc:language").isEmpty();
        List<Element> items = children(channel, RSS, "item");
        assertThat(items).as(path + " items").isNotEmpty();
        for (Element item : items) {
          assertThat(children(item, RSS, "pubDate")).as(path + " item pubDate").hasSize(1);
          assertThat(children(item, DC, "date")).as(path + " item dc:date").isEmpty();
        }
      }

      Element podcast = channel(client.getBytes(feed, "/podcast.xml").body());
      Element owner = children(podcast, ITUNES, "owner").get(0);
      assertThat(children(owner, ITUNES, "email"))
          .extracting(Node::getTextContent)
          .containsExactly("letter@news.example.org");
      String cover = children(podcast, ITUNES, "image").get(0).getAttribute("href");
      Element rssImage = children(podcast, RSS, "image").get(0);
      assertThat(children(rssImage, RSS, "url"))
          .extracting(Node::getTextContent)
          .containsExactly(cover);
      Element feedImage = children(channel(client.getBytes(feed, "/feed.xml").body()), RSS, "image").get(0);
      assertThat(children(feedImage, RSS, "url"))
          .extracting(Node::getTextContent)
          .containsExactly(cover);
      assertThat(cover).startsWith("https://news.example.org/");

      HttpResponse<byte[]> png = client.getBytes(feed, URI.create(cover).getRawPath());
      assertThat(png.statusCode()).isEqualTo(200);
      assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
      assertThat(image).as("a readable PNG").isNotNull();
      assertThat(image.getWidth()).isEqualTo(image.getHeight()).isBetween(1400, 3000);
      String etag = png.headers().firstValue("ETag").orElseThrow();
      assertThat(client.getBytes(feed, URI.create(cover).getRawPath(), "If-None-Match", etag).statusCode())
          .isEqualTo(304);
    }
  }

  @Test
  void configuredOwnerEmailAndCoverWin(KafkaBroker broker) throws Exception {
    KafkaSettings kafka = broker.freshSettings();
    FeedConfig config =
        FeedConfig.from(
            RunningFeed.settings(
                kafka, media, Map.of("PRESSLINE_MAIL_FROM", "letter@news.example.org")));
    try (FeedService feed = RunningFeed.startReady(config, Clock.systemUTC())) {
      Element podcast = channel(client.getBytes(feed, "/podcast.xml").body());
      assertThat(children(children(podcast, ITUNES, "owner").get(0), ITUNES, "email"))
          .extracting(Node::getTextContent)
          .containsExactly("owner@example.org");
      assertThat(children(podcast, ITUNES, "image").get(0).getAttribute("href"))
          .isEqualTo("https://news.example.org/media/cover.jpg");
    }
  }

  private static Element channel(byte[] xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    return children(document.getDocumentElement(), RSS, "channel").get(0);
  }

  /** The child elements of {@code parent} with this namespace ("" for none) and local name. */
  private static List<Element> children(Element parent, String namespace, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e
          && name.equals(e.getLocalName())
          && namespace.equals(e.getNamespaceURI() == null ? "" : e.getNamespaceURI())) {
        found.add(e);
      }
    }
    return found;
  }
}
