package dev.pressline.publisher.render;

import static java.util.Objects.requireNonNull;

import jakarta.mail.internet.InternetAddress;

/**
 * Who the newsletter comes from.
 *
 * @param from sender with display name, e.g. {@code Pressline <newsletter@example.org>}
 * @param replyTo where replies go, or null for the sender
 * @param unsubscribeMailbox the {@code mailto:} address of List-Unsubscribe
 * @param listId the List-Id of the newsletters
 */
public record MailIdentity(InternetAddress from, InternetAddress replyTo, String unsubscribeMailbox, ListId listId) {
  public MailIdentity {
    requireNonNull(from, "from");
    requireNonNull(unsubscribeMailbox, "unsubscribeMailbox");
    requireNonNull(listId, "listId");
  }

  /** With the List-Id derived from the sender (its display name and address). */
  public MailIdentity(InternetAddress from, InternetAddress replyTo, String unsubscribeMailbox) {
    this(from, replyTo, unsubscribeMailbox, ListId.derived(from, from.getPersonal()));
  }

  /** The sender's domain: Message-IDs and the unsubscribe mailbox live under it. */
  public String domain() {
    String address = from.getAddress();
    return address.substring(address.indexOf('@') + 1);
  }
}
