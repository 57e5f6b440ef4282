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

  /**
   * A builder for a new event; each call names the field it sets. Unset fields are empty: no media,
   * no episode, {@code false} flags, {@link #SCHEMA_VERSION} and revision 1 (a first publication).
   * {@code change}, {@code slug}, {@code title} and {@code publishAt} must be set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this event, for a copy that differs in a few fields. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.schemaVersion = schemaVersion;
    b.change = change;
    b.slug = slug;
    b.revision = revision;
    b.title = title;
    b.author = author;
    b.summary = summary;
    b.html = html;
    b.text = text;
    b.publishAt = publishAt;
    b.tags = tags;
    b.audio = audio;
    b.image = image;
    b.explicit = explicit;
    b.email = email;
    b.episode = episode;
    b.season = season;
    b.contentHash = contentHash;
    b.sourceFile = sourceFile;
    b.ingestedAt = ingestedAt;
    b.resend = resend;
    return b;
  }

  /** Builds a {@link PostEvent} field by field; not thread-safe, one builder per event. */
  public static final class Builder {
    private int schemaVersion = SCHEMA_VERSION;
    private PostChange change;
    private String slug;
    private int revision = 1;
    private String title;
    private String author;
    private String summary;
    private String html;
    private String text;
    private Instant publishAt;
    private List<String> tags;
    private MediaRef audio;
    private MediaRef image;
    private boolean explicit;
    private boolean email;
    private Integer episode;
    private Integer season;
    private String contentHash;
    private String sourceFile;
    private Instant ingestedAt;
    private boolean resend;

    private Builder() {}

    public Builder schemaVersion(int schemaVersion) {
      this.schemaVersion = schemaVersion;
      return this;
    }

    public Builder change(PostChange change) {
      this.change = change;
      return this;
    }

    public Builder slug(String slug) {
      this.slug = slug;
      return this;
    }

    public Builder revision(int revision) {
      this.revision = revision;
      return this;
    }

    public Builder title(String title) {
      this.title = title;
      return this;
    }

    public Builder author(String author) {
      this.author = author;
      return this;
    }

    public Builder summary(String summary) {
      this.summary = summary;
      return this;
    }

    public Builder html(String html) {
      this.html = html;
      return this;
    }

    public Builder text(String text) {
      this.text = text;
      return this;
    }

    public Builder publishAt(Instant publishAt) {
      this.publishAt = publishAt;
      return this;
    }

    public Builder tags(List<String> tags) {
      this.tags = tags;
      return this;
    }

    public Builder audio(MediaRef audio) {
      this.audio = audio;
      return this;
    }

    public Builder image(MediaRef image) {
      this.image = image;
      return this;
    }

    public Builder explicit(boolean explicit) {
      this.explicit = explicit;
      return this;
    }

    public Builder email(boolean email) {
      this.email = email;
      return this;
    }

    public Builder episode(Integer episode) {
      this.episode = episode;
      return this;
    }

    public Builder season(Integer season) {
      this.season = season;
      return this;
    }

    public Builder contentHash(String contentHash) {
      this.contentHash = contentHash;
      return this;
    }

    public Builder sourceFile(String sourceFile) {
      this.sourceFile = sourceFile;
      return this;
    }

    public Builder ingestedAt(Instant ingestedAt) {
      this.ingestedAt = ingestedAt;
      return this;
    }

    public Builder resend(boolean resend) {
      this.resend = resend;
      return this;
    }

    /** The event; fails like the record's constructor when a required field is missing. */
    public PostEvent build() {
      return new PostEvent(schemaVersion, change, slug, revision, title, author, summary,
          html, text, publishAt, tags, audio, image, explicit, email,
          episode, season, contentHash, sourceFile, ingestedAt, resend);
    }
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
