package dev.pressline.feed.build;

import static java.util.Objects.requireNonNull;

/**
 * What the feeds say about the show itself, from the channel settings.
 *
 * @param title channel title
 * @param description channel description
 * @param author the name podcast apps show as the author
 * @param ownerEmail contact address for podcast directories (itunes:owner), may be empty
 * @param language RFC 5646 language tag, e.g. {@code en}
 * @param imageUrl square cover art URL (Apple wants 1400–3000 px), may be empty
 * @param category Apple category, optionally {@code Category/Subcategory}
 * @param explicit whether the show as a whole is explicit
 * @param locked podcast:locked — whether other platforms may not import the feed
 * @param podcastGuid podcast:guid override; null derives it from the podcast feed URL
 */
public record ChannelInfo(
    String title,
    String description,
    String author,
    String ownerEmail,
    String language,
    String imageUrl,
    String category,
    boolean explicit,
    boolean locked,
    String podcastGuid) {

  public ChannelInfo {
    requireNonNull(title, "title");
    requireNonNull(description, "description");
    requireNonNull(author, "author");
    requireNonNull(ownerEmail, "ownerEmail");
    requireNonNull(language, "language");
    requireNonNull(imageUrl, "imageUrl");
    requireNonNull(category, "category");
  }

  /** This channel with another cover art URL. */
  public ChannelInfo withImageUrl(String url) {
    return new ChannelInfo(
        title, description, author, ownerEmail, language, url, category, explicit, locked,
        podcastGuid);
  }
}
