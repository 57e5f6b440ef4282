package dev.pressline.feed.build;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.PostEvent;
import dev.pressline.feed.podcastindex.Transcript;
import java.time.Instant;
import java.util.List;

/**
 * A visible post as feeds and pages show it: the event plus its sanitised body and public URLs.
 * Built once per event, so a catalogue change costs only the posts that changed.
 *
 * @param event the post's latest event
 * @param safeHtml the body after {@link SafeHtml}
 * @param url the post page
 * @param guid the item GUID, never changing for this slug
 * @param audioUrl public URL of the episode audio, or null
 * @param imageUrl public URL of the post image, or null
 * @param transcripts transcripts found beside the audio in the media store
 */
public record PostView(
    PostEvent event,
    String safeHtml,
    String url,
    String guid,
    String audioUrl,
    String imageUrl,
    List<Transcript> transcripts) {

  public PostView {
    requireNonNull(event, "event");
    requireNonNull(safeHtml, "safeHtml");
    requireNonNull(url, "url");
    requireNonNull(guid, "guid");
    transcripts = List.copyOf(transcripts);
  }

  public String slug() {
    return event.slug();
  }

  public String title() {
    return event.title();
  }

  /** When this version of the post took effect: its publication or its latest update. */
  public Instant changedAt() {
    Instant ingested = event.ingestedAt();
    return ingested != null && ingested.isAfter(event.publishAt()) ? ingested : event.publishAt();
  }
}
