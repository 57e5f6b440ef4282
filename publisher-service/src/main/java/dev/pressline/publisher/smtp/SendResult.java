package dev.pressline.publisher.smtp;

import static java.util.Objects.requireNonNull;

/**
 * What one SMTP attempt came to.
 *
 * @param kind accepted, try again later, or refused for good
 * @param reply the server's reply line, or a short description of the connection error
 * @param mayHaveArrived for a temporary failure: the connection broke during the conversation
 *     without a reply, so the server may have taken the message before it went (SMTP cannot tell)
 */
public record SendResult(Kind kind, String reply, boolean mayHaveArrived) {

  /** How the attempt ended. */
  public enum Kind {
    /** The server took the message (2xx). */
    ACCEPTED,
    /** A 4xx reply or a connection problem: worth another try later. */
    TEMPORARY,
    /** A 5xx reply: the address does not take mail; never try again. */
    PERMANENT
  }

  public SendResult {
    requireNonNull(kind, "kind");
    reply = reply == null ? "" : reply.strip();
  }

  /** A result that leaves no doubt whether the message arrived. */
  public SendResult(Kind kind, String reply) {
    this(kind, reply, false);
  }
}
