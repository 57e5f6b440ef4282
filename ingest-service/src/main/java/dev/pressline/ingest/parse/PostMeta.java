package dev.pressline.ingest.parse;

import java.time.Instant;
import java.util.List;

/**
 * What a post says about itself besides title and body: Markdown front matter, or what a {@code .txt}
 * post reveals (an author line). Absent values are null; {@link #EMPTY} has none.
 *
 * @param slug the slug the editor asked for
 * @param author display name
 * @param publishAt when the post becomes visible
 * @param summary summary written by the editor
 * @param tags categories
 * @param audio file name of the episode's audio, beside the post
 * @param image file name of the post's image, beside the post
 * @param explicit whether the episode is explicit
 * @param email whether subscribers get the post by email
 * @param episode podcast episode number
 * @param season podcast season number
 * @param retract whether the editor withdraws the post with this slug
 * @param resend whether an update is to be emailed to subscribers again
 */
public record PostMeta(
    String slug,
    String author,
    Instant publishAt,
    String summary,
    List<String> tags,
    String audio,
    String image,
    Boolean explicit,
    Boolean email,
    Integer episode,
    Integer season,
    boolean retract,
    boolean resend) {

  public static final PostMeta EMPTY =
      new PostMeta(null, null, null, null, List.of(), null, null, null, null, null, null, false, false);

  public PostMeta {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public PostMeta withAuthor(String newAuthor) {
    return new PostMeta(slug, newAuthor, publishAt, summary, tags, audio, image, explicit, email, episode, season, retract,
        resend);
  }
}
