package dev.pressline.ingest.catalogue;

/** What a dropped post is, judged against the catalogue: the decision, apart from the doing. */
public sealed interface Identity {

  /** Exactly this content is the current content of a live post; nothing is published. */
  record Duplicate(Catalogue.Entry of) implements Identity {}

  /** A post not seen before, under a free slug. */
  record NewPost(String slug) implements Identity {}

  /** New content for an existing post: revision + 1. */
  record Update(Catalogue.Entry previous) implements Identity {}
}
