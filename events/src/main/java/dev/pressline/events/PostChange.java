package dev.pressline.events;

/** What a {@link PostEvent} says happened to its post. */
public enum PostChange {
  /** First publication of the slug (revision 1). */
  PUBLISHED,
  /** New content for an existing slug; the feed changes, no second email. */
  UPDATED,
  /** The editor withdrew the post; it leaves feed and archive, the slug stays taken. */
  RETRACTED
}
