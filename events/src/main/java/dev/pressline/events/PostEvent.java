package dev.pressline.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One state of a post in the catalogue: the value on the compacted {@code posts} topic, keyed by slug.
 *
 * <p>The latest event per slug is the truth. {@link PostChange#RETRACTED} keeps the slug taken but
 * removes the post from feed and archive. {@code revision} starts at 1 and grows with each update, so
 * consumers can tell a first publication (which is emailed) from a correction (which is not).
 *
 * @param schemaVersion version of this record's JSON shape
 * @param change what happened to the post
 * @param slug URL path segment and Kafka key; unique within the catalogue
 * @param revision 1 for the first publication, +1 per update
 * @param title plain-text title, single line, safe for a mail subject once encoded
 * @param author display name, may be empty
 * @param summary plain-text summary, may be empty
 * @param html sanitised HTML body
 * @param text plain-text body
 * @param publishAt when the post becomes visible; in the future means scheduled
 * @param tags free-form categories
 * @param audio the episode's audio file, or null
 * @param image the post's image, or null
 * @param explicit whether the episode is marked explicit
 * @param email whether subscribers get this post by email
 * @param episode podcast episode number, or null
 * @param season podcast season number, or null
 * @param contentHash SHA-256 of the source file bytes, hex; identifies duplicates
 * @param sourceFile the file name the editor dropped
 * @param ingestedAt when ingest-service published this event
 * @param resend for an update: the editor asked for it to be emailed to subscribers again (an
 *     update is otherwise never emailed); false on first publications and in events written before
 *     this field existed
 */
public record PostEvent(
    int schemaVersion,
    PostChange change,
    String slug,
    int revision,
    String title,
    String author,
    String summary,
    String html,
    String text,
    Instant publishAt,
    List<String> tags,
    MediaRef audio,
    MediaRef image,
    boolean explicit,
    boolean email,
    Integer episode,
    Integer season,
    String contentHash,
    String sourceFile,
    Instant ingestedAt,
    boolean resend) {

  public static final int SCHEMA_VERSION = 1;

  public PostEvent {
    requireNonNull(change, "change");
    requireNonNull(slug, "slug");
    requireNonNull(title, "title");
    requireNonNull(publishAt, "publishAt");
    author = author == null ? "" : author;
    summary = summary == null ? "" : summary;
    html = html == null ? "" : html;
    text = text == null ? "" : text;
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** An event that asks for no second email: every first publication, and most updates. */
  public PostEvent(int schemaVersion, PostChange change, String slug, int revision, String title, String author,
      String summary, String html, String text, Instant publishAt, List<String> tags, MediaRef audio, MediaRef image,
      boolean explicit, boolean email, Integer episode, Integer season, String contentHash, String sourceFile,
      Instant ingestedAt) {
    this(schemaVersion, change, slug, revision, title, author, summary, html, text, publishAt, tags, audio, image,
        explicit, email, episode, season, contentHash, sourceFile, ingestedAt, false);
  }

  /** Whether the post is live at {@code now}: not retracted and not scheduled for later. */
  public boolean isVisibleAt(Instant now) {
    return change != PostChange.RETRACTED && !publishAt.isAfter(now);
  }

  /** Whether this event carries an episode for the podcast feed. */
  public boolean hasAudio() {
    return audio != null;
  }
}
