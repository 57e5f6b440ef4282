package dev.pressline.reliability.chaos;

/**
 * The most duplicate mails the delivery guarantee allows a chaos run, in one place: a mailer killed
 * hard may have handed each of its SMTP connections one message whose "sent" never reached the
 * delivery log, and the instance that takes its partitions over sends those again. Nothing else
 * (a broker killed, a controller moved, a rolling restart) may cost a duplicate.
 *
 * @param smtpConnections SMTP connections per mailer ({@code PRESSLINE_SMTP_CONCURRENCY})
 * @param inDoubtFactor how many messages per connection a killed mailer may leave in doubt (1 today;
 *     the factor a mailer setting that widens the in-doubt window would raise)
 */
public record DuplicateBound(int smtpConnections, int inDoubtFactor) {

  public DuplicateBound {
    if (smtpConnections < 1 || inDoubtFactor < 1) {
      throw new IllegalArgumentException("connections and factor must be at least 1");
    }
  }

  /** Duplicates allowed after {@code mailerKills} hard kills of a mailer (and SMTP outages, which cut connections the same way). */
  public int allowed(int mailerKills) {
    return smtpConnections * inDoubtFactor * mailerKills;
  }

  /** How the bound is made, for the printed figures. */
  public String describe(int mailerKills) {
    return smtpConnections + " connections x " + inDoubtFactor + " in doubt x " + mailerKills + " kills";
  }
}
