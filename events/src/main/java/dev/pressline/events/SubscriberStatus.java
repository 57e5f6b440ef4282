package dev.pressline.events;

/** Where a subscriber stands in the double opt-in life cycle. */
public enum SubscriberStatus {
  /** Asked to subscribe; waits for the confirmation link. Gets no posts. */
  PENDING,
  /** Confirmed the address; gets every new post. */
  CONFIRMED,
  /** Left; gets nothing more. */
  UNSUBSCRIBED,
  /** The address bounced permanently; suppressed. */
  BOUNCED;

  public boolean receivesPosts() {
    return this == CONFIRMED;
  }
}
