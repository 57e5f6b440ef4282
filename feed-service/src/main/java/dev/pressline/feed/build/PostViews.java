package dev.pressline.feed.build;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.MediaRef;
import dev.pressline.events.PostEvent;
import dev.pressline.feed.podcastindex.PodcastGuid;
import dev.pressline.feed.podcastindex.Transcript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Turns events into {@link PostView}s and remembers them per slug, so an unchanged post is not
 * sanitised again when another post changes. A view is made only when a page that shows the post is
 * rendered: with a large catalogue most posts sit on older pages nobody has asked for yet, and
 * sanitising all of them at start-up was most of the time to ready. Thread-safe: the refresher
 * renders the first pages, HTTP threads render older pages on their first request.
 */
public final class PostViews {

  /** Transcript files an editor may put beside the audio, by extension, with their MIME types. */
  private static final Map<String, String> TRANSCRIPT_TYPES =
      Map.of("vtt", "text/vtt", "srt", "application/x-subrip", "json", "application/json");

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private final SiteUrls urls;
  private final SafeHtml safeHtml;
  private final Path mediaDir;
  private final UUID guidNamespace;
  private final Map<String, Cached> bySlug = new ConcurrentHashMap<>();

  /** A view and the event exactly as it came from the topic, to tell whether it changed. */
  private record Cached(PostEvent received, PostView view) {}

  /**
   * @param guidNamespace item GUIDs are UUIDv5 of the slug in this namespace (the show's
   *     podcast:guid), so they survive a change of domain as long as the show's guid is pinned
   */
  public PostViews(SiteUrls urls, SafeHtml safeHtml, Path mediaDir, UUID guidNamespace) {
    this.urls = requireNonNull(urls, "urls");
    this.safeHtml = requireNonNull(safeHtml, "safeHtml");
    this.mediaDir = requireNonNull(mediaDir, "mediaDir");
    this.guidNamespace = requireNonNull(guidNamespace, "guidNamespace");
  }

  /** Views of {@code posts} in the same order; views of posts no longer listed are forgotten. */
  public List<PostView> of(List<PostEvent> posts) {
    List<PostView> views = new ArrayList<>(posts.size());
    Set<String> slugs = new HashSet<>();
    for (PostEvent post : posts) {
      views.add(viewOf(post));
      slugs.add(post.slug());
    }
    retainOnly(slugs);
    return views;
  }

  /** The view of {@code post}: the remembered one while the post is unchanged, else a new one. */
  public PostView viewOf(PostEvent post) {
    Cached cached = bySlug.get(post.slug());
    if (cached != null && cached.received().equals(post)) {
      return cached.view();
    }
    // two threads may make the same view at once; both are equal, the last one is remembered
    PostView view = view(post);
    bySlug.put(post.slug(), new Cached(post, view));
    return view;
  }

  /** Views of {@code posts}, in the same order, each made or reused as {@link #viewOf} does. */
  public List<PostView> viewsOf(List<PostEvent> posts) {
    List<PostView> views = new ArrayList<>(posts.size());
    for (PostEvent post : posts) {
      views.add(viewOf(post));
    }
    return views;
  }

  /** Forgets the views of posts that are no longer among {@code slugs}. */
  public void retainOnly(Collection<String> slugs) {
    bySlug.keySet().retainAll(slugs instanceof Set<?> ? slugs : new HashSet<>(slugs));
  }

  private PostView view(PostEvent event) {
    PostEvent post = xmlSafe(event);
    MediaRef audio = post.audio();
    return new PostView(
        post,
        safeHtml.sanitize(post.html()),
        urls.post(post.slug()),
        "urn:uuid:" + PodcastGuid.uuid5(guidNamespace, post.slug()),
        audio == null ? null : urls.media(audio.fileName(), post.slug()),
        post.image() == null ? null : urls.media(post.image().fileName(), post.slug()),
        audio == null ? List.of() : transcripts(audio.fileName(), post.slug()));
  }

  /**
   * The event with characters XML 1.0 cannot carry (control characters, unpaired surrogates,
   * U+FFFE/U+FFFF) removed: one such character in one post would otherwise stop every feed rebuild.
   */
  static PostEvent xmlSafe(PostEvent p) {
    return p.toBuilder()
        .title(clean(p.title()))
        .author(clean(p.author()))
        .summary(clean(p.summary()))
        .html(clean(p.html()))
        .text(clean(p.text()))
        .tags(p.tags().stream().map(PostViews::clean).toList())
        .audio(servable(p.audio()))
        .image(servable(p.image()))
        .build();
  }

  /** The longest playing time believed; beyond it (or below zero) the duration is unknown. */
  private static final long LONGEST_SECONDS = 10L * 366 * 24 * 3600;

  /**
   * A media reference as feeds can carry it: names without characters XML cannot hold, and an
   * absurd duration (negative, or so long that milliseconds overflow) dropped as unknown.
   */
  static MediaRef servable(MediaRef media) {
    if (media == null) {
      return null;
    }
    Long seconds = media.durationSeconds();
    if (seconds != null && (seconds < 0 || seconds > LONGEST_SECONDS)) {
      seconds = null;
    }
    return new MediaRef(clean(media.fileName()), clean(media.mimeType()), media.byteSize(), seconds);
  }

  static String clean(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok;
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        if (out != null) {
          out.append(c).append(s.charAt(i + 1));
        }
        i++;
        continue;
      }
      ok =
          c == '\t'
              || c == '\n'
              || c == '\r'
              || (c >= 0x20 && c <= 0xD7FF)
              || (c >= 0xE000 && c <= 0xFFFD);
      if (!ok && out == null) {
        out = new StringBuilder(s.length()).append(s, 0, i);
      } else if (ok && out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  private List<Transcript> transcripts(String audioFile, String slug) {
    // the name comes from the topic: look only for plain names inside the media store
    if (!SAFE_NAME.matcher(audioFile).matches()) {
      return List.of();
    }
    int dot = audioFile.lastIndexOf('.');
    String base = dot > 0 ? audioFile.substring(0, dot) : audioFile;
    List<Transcript> found = new ArrayList<>();
    TRANSCRIPT_TYPES.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              String name = base + "." + e.getKey();
              if (Files.isRegularFile(mediaDir.resolve(name))) {
                found.add(new Transcript(urls.media(name, slug), e.getValue(), null));
              }
            });
    return found;
  }
}
