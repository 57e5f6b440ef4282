package dev.pressline.feed.podcastindex;

import static java.util.Objects.requireNonNull;

/**
 * One {@code podcast:transcript} of an episode.
 *
 * @param url where the transcript file is served
 * @param type its MIME type, e.g. {@code text/vtt} or {@code application/x-subrip}
 * @param language its language tag, or null for the channel's language
 */
public record Transcript(String url, String type, String language) {
  public Transcript {
    requireNonNull(url, "url");
    requireNonNull(type, "type");
  }
}
