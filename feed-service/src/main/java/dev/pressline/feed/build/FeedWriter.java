package dev.pressline.feed.build;

import static java.util.Objects.requireNonNull;

import com.rometools.modules.atom.modules.AtomLinkModule;
import com.rometools.modules.atom.modules.AtomLinkModuleImpl;
import com.rometools.modules.itunes.EntryInformationImpl;
import com.rometools.modules.itunes.FeedInformationImpl;
import com.rometools.modules.itunes.types.Category;
import com.rometools.modules.itunes.types.Duration;
import com.rometools.modules.itunes.types.Subcategory;
import com.rometools.rome.feed.atom.Link;
import com.rometools.rome.feed.module.Module;
import com.rometools.rome.feed.synd.SyndCategory;
import com.rometools.rome.feed.synd.SyndCategoryImpl;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndContentImpl;
import com.rometools.rome.feed.synd.SyndEnclosure;
import com.rometools.rome.feed.synd.SyndEnclosureImpl;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndEntryImpl;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.feed.synd.SyndImage;
import com.rometools.rome.feed.synd.SyndImageImpl;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedOutput;
import dev.pressline.events.PostEvent;
import dev.pressline.feed.podcastindex.PodcastIndexModule;
import dev.pressline.feed.podcastindex.PodcastIndexModuleImpl;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.Namespace;
import org.jdom2.filter.Filters;
import org.jdom2.output.Format;
import org.jdom2.output.XMLOutputter;

/**
 * Writes one page of a feed as RSS 2.0 with Rome, then corrects the two places where Rome's iTunes
 * output differs from what Apple documents ({@code itunes:explicit} and {@code itunes:duration}).
 *
 * <p>Turning a hundred full-content entries into XML with Rome and JDOM was most of every rebuild,
 * and all but one of them had not changed. So a page is assembled from parts: Rome writes the
 * channel with only the items not yet remembered, and every item's XML is kept in {@link
 * RenderedItems}, written and compressed once per version of its post. The pretty-printed output of an item does not depend on its
 * neighbours (Rome declares every module namespace on the root element), so the assembled bytes are
 * the ones Rome would write for the whole page; {@code FeedWriterTest} checks exactly that.
 */
public final class FeedWriter {

  private static final Namespace ITUNES =
      Namespace.getNamespace("http://www.itunes.com/dtds/podcast-1.0.dtd");
  private static final Namespace DC = Namespace.getNamespace("http://purl.org/dc/elements/1.1/");

  /** Dublin Core elements Rome adds beside the RSS element that says the same, DC name first. */
  private static final Map<String, String> DC_REPEATS = Map.of("date", "pubDate", "language", "language");

  private final ChannelInfo channel;
  private final SiteUrls urls;
  private final String podcastGuid;
  private final List<String> hubs;

  private final SafeHtml safeHtml = new SafeHtml();
  private final RenderedItems renderedItems = new RenderedItems();

  public FeedWriter(ChannelInfo channel, SiteUrls urls, String podcastGuid, List<String> hubs) {
    this.channel = requireNonNull(channel, "channel");
    this.urls = requireNonNull(urls, "urls");
    this.podcastGuid = requireNonNull(podcastGuid, "podcastGuid");
    this.hubs = List.copyOf(hubs);
  }

  /**
   * One page of a feed.
   *
   * @param items the posts on this page, newest first
   * @param page 1-based page number
   * @param pages how many pages the feed has (RFC 5005 paging when more than one)
   * @param lastModified when the feed's content last changed
   */
  public byte[] write(
      FeedKind kind, List<PostView> items, int page, int pages, Instant lastModified) {
    return writePage(kind, items, page, pages, lastModified).body();
  }

  /** One page of a feed as UTF-8 and gzip. */
  public record FeedPage(byte[] body, byte[] gzipped) {}

  /** {@link #write}, with the gzip form assembled from the items' compressed forms. */
  public FeedPage writePage(
      FeedKind kind, List<PostView> items, int page, int pages, Instant lastModified) {
    if (items.isEmpty()) {
      byte[] body = xml(kind, List.of(), page, pages, lastModified).getBytes(StandardCharsets.UTF_8);
      return new FeedPage(body, GzipParts.member(List.of(GzipParts.deflate(body, null)), body));
    }
    // Rome writes the channel with the items not yet remembered (with the first item when all
    // are): one document, however many items are new, as cheap as before on a first build
    Map<PostView, RenderedItems.Item> written = new IdentityHashMap<>();
    List<PostView> missing = new ArrayList<>();
    for (PostView item : items) {
      RenderedItems.Item found = renderedItems.find(kind, item);
      if (found == null) {
        missing.add(item);
      } else {
        written.put(item, found);
      }
    }
    List<PostView> inChannel = missing.isEmpty() ? List.of(items.get(0)) : missing;
    String channel = xml(kind, entries(kind, inChannel), page, pages, lastModified);
    List<ItemSpan> spans = ItemSpan.all(channel, inChannel.size());
    for (int i = 0; i < inChannel.size(); i++) {
      byte[] xml = spans.get(i).of(channel).getBytes(StandardCharsets.UTF_8);
      RenderedItems.Item item = new RenderedItems.Item(inChannel.get(i), xml);
      renderedItems.put(kind, item);
      written.put(item.view(), item);
    }
    byte[] head =
        channel.substring(0, spans.get(0).start()).getBytes(StandardCharsets.UTF_8);
    byte[] tail =
        channel.substring(spans.get(spans.size() - 1).end()).getBytes(StandardCharsets.UTF_8);
    int length = head.length + tail.length;
    for (PostView item : items) {
      length += written.get(item).xml().length;
    }
    byte[] body = new byte[length];
    List<byte[]> deflated = new ArrayList<>(items.size() + 2);
    System.arraycopy(head, 0, body, 0, head.length);
    deflated.add(GzipParts.deflate(head, null));
    int at = head.length;
    byte[] preceding = head;
    for (PostView item : items) {
      RenderedItems.Item part = written.get(item);
      System.arraycopy(part.xml(), 0, body, at, part.xml().length);
      at += part.xml().length;
      deflated.add(part.deflatedAfter(preceding));
      preceding = part.xml();
    }
    System.arraycopy(tail, 0, body, at, tail.length);
    deflated.add(GzipParts.deflate(tail, preceding));
    return new FeedPage(body, GzipParts.member(deflated, body));
  }

  /** The whole page written by Rome in one go: what {@link #write} must equal, for tests. */
  byte[] writeWhole(
      FeedKind kind, List<PostView> items, int page, int pages, Instant lastModified) {
    return xml(kind, entries(kind, items), page, pages, lastModified)
        .getBytes(StandardCharsets.UTF_8);
  }

  private List<SyndEntry> entries(FeedKind kind, List<PostView> items) {
    List<SyndEntry> entries = new ArrayList<>(items.size());
    for (PostView item : items) {
      entries.add(entry(kind, item));
    }
    return entries;
  }

  /** Forgets the item XML of posts no longer among {@code slugs} (those no longer visible). */
  public void retainOnly(Set<String> slugs) {
    renderedItems.retainOnly(slugs);
  }

  /** How many item renderings are remembered, for tests. */
  int rememberedItems() {
    return renderedItems.size();
  }

  /** Where one {@code <item>} of a written page starts and ends, as whole lines. */
  private record ItemSpan(int start, int end) {

    /** The spans of the {@code expected} items of {@code xml}, in document order. */
    static List<ItemSpan> all(String xml, int expected) {
      List<ItemSpan> spans = new ArrayList<>(expected);
      int from = 0;
      while (true) {
        // text and attribute values are escaped, so every "<item>" is the element itself
        int open = xml.indexOf("<item>", from);
        if (open < 0) {
          break;
        }
        int close = xml.indexOf("</item>", open);
        if (close < 0) {
          break;
        }
        int lineEnd = xml.indexOf('\n', close);
        int end = lineEnd < 0 ? xml.length() : lineEnd + 1;
        spans.add(new ItemSpan(xml.lastIndexOf('\n', open) + 1, end));
        from = end;
      }
      if (spans.size() != expected) {
        throw new IllegalStateException(
            "expected " + expected + " <item>s in the page Rome wrote, found " + spans.size());
      }
      return spans;
    }

    String of(String xml) {
      return xml.substring(start, end);
    }
  }

  /** The page as Rome and JDOM write it, with the iTunes corrections. */
  private String xml(
      FeedKind kind, List<SyndEntry> entries, int page, int pages, Instant lastModified) {
    SyndFeed feed = new SyndFeedImpl();
    feed.setFeedType("rss_2.0");
    feed.setEncoding("UTF-8");
    feed.setTitle(channel.title());
    feed.setLink(urls.home());
    feed.setDescription(channel.description());
    feed.setLanguage(channel.language());
    if (lastModified.isAfter(Instant.EPOCH)) {
      feed.setPublishedDate(Date.from(lastModified)); // an empty catalogue has no date to tell
    }
    feed.setGenerator("Pressline");
    if (!channel.imageUrl().isEmpty()) {
      SyndImage image = new SyndImageImpl();
      image.setUrl(channel.imageUrl());
      image.setTitle(channel.title());
      image.setLink(urls.home());
      feed.setImage(image);
    }
    List<Module> modules = new ArrayList<>(feed.getModules());
    modules.add(atomLinks(kind, page, pages));
    if (kind == FeedKind.PODCAST) {
      modules.add(channelItunes());
      PodcastIndexModule podcast = new PodcastIndexModuleImpl();
      podcast.setGuid(podcastGuid);
      podcast.setLocked(channel.locked());
      podcast.setLockedOwner(channel.ownerEmail().isEmpty() ? null : channel.ownerEmail());
      modules.add(podcast);
    }
    feed.setModules(modules);
    feed.setEntries(entries);
    try {
      Document document = new SyndFeedOutput().outputJDom(feed);
      dropDublinCoreRepeats(document);
      fixItunes(document);
      StringWriter out = new StringWriter();
      new XMLOutputter(Format.getPrettyFormat().setEncoding("UTF-8")).output(document, out);
      return out.toString();
    } catch (FeedException e) {
      throw new dev.pressline.feed.FeedException("Rome could not write the " + kind + " feed", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private AtomLinkModule atomLinks(FeedKind kind, int page, int pages) {
    String first = kind == FeedKind.PODCAST ? urls.podcast() : urls.feed();
    List<Link> links = new ArrayList<>();
    links.add(link("self", urls.page(first, page), "application/rss+xml"));
    for (String hub : hubs) {
      links.add(link("hub", hub, null));
    }
    if (pages > 1) {
      // RFC 5005 section 3: a paged feed names its first and last pages and its neighbours
      links.add(link("first", urls.page(first, 1), "application/rss+xml"));
      if (page > 1) {
        links.add(link("previous", urls.page(first, page - 1), "application/rss+xml"));
      }
      if (page < pages) {
        links.add(link("next", urls.page(first, page + 1), "application/rss+xml"));
      }
      links.add(link("last", urls.page(first, pages), "application/rss+xml"));
    }
    AtomLinkModule atom = new AtomLinkModuleImpl();
    atom.setLinks(links);
    return atom;
  }

  private static Link link(String rel, String href, String type) {
    Link link = new Link();
    link.setRel(rel);
    link.setHref(href);
    if (type != null) {
      link.setType(type);
    }
    return link;
  }

  private FeedInformationImpl channelItunes() {
    FeedInformationImpl itunes = new FeedInformationImpl();
    itunes.setAuthor(channel.author());
    itunes.setOwnerName(channel.author());
    if (!channel.ownerEmail().isEmpty()) {
      itunes.setOwnerEmailAddress(channel.ownerEmail());
    }
    itunes.setSummary(channel.description());
    if (!channel.imageUrl().isEmpty()) {
      itunes.setImageUri(channel.imageUrl());
    }
    String[] parts = channel.category().split("/", 2);
    Category category = new Category(parts[0].trim());
    if (parts.length > 1 && !parts[1].isBlank()) {
      category.setSubcategory(new Subcategory(parts[1].trim()));
    }
    itunes.setCategories(List.of(category));
    itunes.setExplicit(channel.explicit());
    itunes.setType("episodic");
    return itunes;
  }

  private SyndEntry entry(FeedKind kind, PostView item) {
    PostEvent post = item.event();
    SyndEntry entry = new SyndEntryImpl();
    entry.setTitle(post.title());
    entry.setLink(item.url());
    // a non-permalink GUID: it must not change if the site moves or the title is corrected
    entry.setUri(item.guid());
    entry.setPublishedDate(Date.from(post.publishAt()));
    if (!post.author().isEmpty()) {
      entry.setAuthor(post.author());
    }
    SyndContent description = new SyndContentImpl();
    // readers render the description as HTML: plain text goes in escaped, never as markup
    description.setType("text/html");
    description.setValue(
        safeHtml.escapeText(post.summary().isEmpty() ? excerpt(post.text()) : post.summary()));
    entry.setDescription(description);
    SyndContent content = new SyndContentImpl();
    content.setType("text/html");
    content.setValue(item.safeHtml());
    entry.setContents(List.of(content));
    List<SyndCategory> categories = new ArrayList<>();
    for (String tag : post.tags()) {
      SyndCategory category = new SyndCategoryImpl();
      category.setName(tag);
      categories.add(category);
    }
    entry.setCategories(categories);
    if (post.audio() != null) {
      SyndEnclosure enclosure = new SyndEnclosureImpl();
      enclosure.setUrl(item.audioUrl());
      enclosure.setLength(post.audio().byteSize());
      enclosure.setType(post.audio().mimeType());
      entry.setEnclosures(List.of(enclosure));
    }
    if (kind == FeedKind.PODCAST) {
      List<Module> modules = new ArrayList<>(entry.getModules());
      modules.add(itemItunes(item));
      if (!item.transcripts().isEmpty()) {
        PodcastIndexModule podcast = new PodcastIndexModuleImpl();
        podcast.setTranscripts(item.transcripts());
        modules.add(podcast);
      }
      entry.setModules(modules);
    }
    return entry;
  }

  private EntryInformationImpl itemItunes(PostView item) {
    PostEvent post = item.event();
    EntryInformationImpl itunes = new EntryInformationImpl();
    itunes.setTitle(post.title());
    itunes.setAuthor(post.author().isEmpty() ? channel.author() : post.author());
    if (!post.summary().isEmpty()) {
      itunes.setSummary(post.summary());
    }
    itunes.setExplicit(post.explicit());
    itunes.setEpisodeType("full");
    if (post.episode() != null) {
      itunes.setEpisode(post.episode());
    }
    if (post.season() != null) {
      itunes.setSeason(post.season());
    }
    if (post.audio() != null && post.audio().durationSeconds() != null) {
      itunes.setDuration(new Duration(post.audio().durationSeconds() * 1000));
    }
    if (item.imageUrl() != null) {
      itunes.setImageUri(item.imageUrl());
    }
    return itunes;
  }

  private static String excerpt(String text) {
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.length() <= 300 ? flat : flat.substring(0, 297).strip() + "…";
  }

  /**
   * Rome's Dublin Core module writes {@code dc:date} and {@code dc:language} beside RSS's own
   * {@code pubDate} and {@code language}; the W3C validator warns about each pair ("should not
   * include both"), so the channel and every item keep only the RSS element.
   */
  static void dropDublinCoreRepeats(Document document) {
    Element channel = document.getRootElement().getChild("channel");
    if (channel == null) {
      return;
    }
    List<Element> parents = new ArrayList<>();
    parents.add(channel);
    parents.addAll(channel.getChildren("item"));
    for (Element parent : parents) {
      DC_REPEATS.forEach(
          (dcName, rssName) -> {
            if (parent.getChild(rssName) != null) {
              parent.removeChildren(dcName, DC);
            }
          });
    }
  }

  /**
   * Apple documents explicit as true/false and prefers the duration in whole seconds; Rome writes
   * yes/no and HH:MM:SS.
   */
  static void fixItunes(Document document) {
    List<Element> elements = new ArrayList<>();
    document.getRootElement().getDescendants(Filters.element()).forEach(elements::add);
    for (Element e : elements) {
      if (!ITUNES.getURI().equals(e.getNamespaceURI())) {
        continue;
      }
      if ((e.getName().equals("keywords") || e.getName().equals("email"))
          && e.getTextTrim().isEmpty()) {
        e
            .detach(); // Rome writes them empty when unset; an empty owner email only confuses
                       // directories
      } else if (e.getName().equals("explicit")) {
        String value = e.getTextTrim();
        e.setText(
            value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("true") ? "true" : "false");
      } else if (e.getName().equals("duration")) {
        e.setText(Long.toString(seconds(e.getTextTrim())));
      }
    }
  }

  static long seconds(String hms) {
    long total = 0;
    for (String part : hms.split(":")) {
      total = total * 60 + (long) Double.parseDouble(part);
    }
    return total;
  }
}
