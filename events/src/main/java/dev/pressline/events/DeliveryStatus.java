package dev.pressline.events;

/** Outcome of one delivery on the delivery log. */
public enum DeliveryStatus {
  /** Handed to the mailer; recorded before the SMTP conversation starts. */
  SENDING,
  /** The SMTP server accepted the message. */
  SENT,
  /** Gave up after retries on temporary errors. */
  FAILED,
  /** The server refused the address permanently (5xx) or a bounce report came back. */
  BOUNCED;

  /** Whether no further attempt must be made for this post and recipient. */
  public boolean isFinal() {
    return this != SENDING;
  }
}
