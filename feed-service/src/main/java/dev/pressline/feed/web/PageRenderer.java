package dev.pressline.feed.web;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.PostEvent;
import dev.pressline.feed.FeedException;
import dev.pressline.feed.build.ChannelInfo;
import dev.pressline.feed.build.PostView;
import dev.pressline.feed.build.SiteUrls;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the home page and post pages with Pebble. Autoescaping is on for every value; only the
 * post body, already passed through the sanitiser, is inserted as markup.
 */
public final class PageRenderer {

  private final PebbleEngine engine;
  private final ChannelInfo channel;
  private final SiteUrls urls;
  private final Locale locale;
  private final DateTimeFormatter humanDate;

  public PageRenderer(ChannelInfo channel, SiteUrls urls) {
    this.channel = requireNonNull(channel, "channel");
    this.urls = requireNonNull(urls, "urls");
    ClasspathLoader loader = new ClasspathLoader(PageRenderer.class.getClassLoader());
    loader.setPrefix("templates/feed");
    loader.setSuffix(".peb");
    this.engine =
        new PebbleEngine.Builder()
            .loader(loader)
            // a misspelt variable is a bug to find in tests, not an empty spot on a page
            .strictVariables(true)
            .autoEscaping(true)
            .build();
    this.locale = Locale.forLanguageTag(channel.language());
    this.humanDate =
        DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
            .withLocale(locale)
            .withZone(ZoneOffset.UTC);
  }

  /** Page {@code page} of {@code pages} of the archive; page 1 is the home page. */
  public byte[] index(List<PostView> posts, int page, int pages) {
    Map<String, Object> model = common();
    model.put("posts", posts.stream().map(this::postModel).toList());
    model.put("page", page);
    model.put("pages", pages);
    model.put("newerUrl", page > 1 ? urls.archive(page - 1) : "");
    model.put("olderUrl", page < pages ? urls.archive(page + 1) : "");
    return render("index", model);
  }

  public byte[] post(PostView post) {
    Map<String, Object> model = common();
    model.put("post", postModel(post));
    return render("post", model);
  }

  public byte[] notFound() {
    return render("notfound", common());
  }

  private Map<String, Object> common() {
    Map<String, Object> model = new HashMap<>();
    model.put("language", channel.language());
    model.put("channelTitle", channel.title());
    model.put("channelDescription", channel.description());
    model.put("homeUrl", urls.home());
    model.put("feedUrl", urls.feed());
    model.put("podcastUrl", urls.podcast());
    model.put("subscribeUrl", urls.subscribe());
    return model;
  }

  private Map<String, Object> postModel(PostView view) {
    PostEvent post = view.event();
    Map<String, Object> model = new HashMap<>();
    model.put("url", view.url());
    model.put("title", post.title());
    model.put("author", post.author());
    model.put("summary", post.summary());
    model.put("dateIso", post.publishAt().toString());
    model.put("dateHuman", humanDate.format(post.publishAt()));
    model.put("hasAudio", view.audioUrl() != null);
    model.put("audioUrl", view.audioUrl() == null ? "" : view.audioUrl());
    model.put("imageUrl", view.imageUrl() == null ? "" : view.imageUrl());
    Long seconds = post.audio() == null ? null : post.audio().durationSeconds();
    model.put("duration", seconds == null ? "" : duration(seconds));
    model.put("tags", post.tags());
    model.put("body", view.safeHtml());
    return model;
  }

  private static String duration(long seconds) {
    long minutes = (seconds + 30) / 60;
    return minutes < 1 ? seconds + " s" : minutes + " min";
  }

  private byte[] render(String name, Map<String, Object> model) {
    try {
      PebbleTemplate template = engine.getTemplate(name);
      StringWriter out = new StringWriter();
      template.evaluate(out, model, locale);
      return out.toString().getBytes(StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new FeedException("cannot render the " + name + " page", e);
    }
  }
}
