package dev.pressline.ingest.catalogue;

/** What a dropped post is, judged against the catalogue: the decision, apart from the doing. */
public sealed interface Identity {

  /** Exactly this content is the current content of a live post; nothing is published. */
  record Duplicate(Catalogue.Entry of) implements Identity {}

  /**
   * A post not seen before, under a free slug.
   *
   * @param why why it is new although something about it was known (its file name), for the receipt; or null
   */
  record NewPost(String slug, String why) implements Identity {}

  /**
   * New content for an existing post: revision + 1.
   *
   * @param why how it was recognised as that post, for the receipt
   */
  record Update(Catalogue.Entry previous, String why) implements Identity {}
}
