package dev.pressline.reliability.chaos;

/**
 * The most duplicate mails the delivery guarantee allows a chaos run, in one place: a mailer killed
 * hard may leave up to its in-doubt window of messages per SMTP connection whose outcome never
 * reached the delivery log, and the instance that takes its partitions over sends those again; an
 * SMTP outage cuts each connection with at most the one message it was carrying. Nothing else (a
 * broker killed, a controller moved, a rolling restart) may cost a duplicate.
 *
 * @param smtpConnections SMTP connections per mailer ({@code PRESSLINE_SMTP_CONCURRENCY})
 * @param inDoubtWindow the mailers' {@code PRESSLINE_MAIL_IN_DOUBT_WINDOW}
 */
public record DuplicateBound(int smtpConnections, int inDoubtWindow) {

  public DuplicateBound {
    if (smtpConnections < 1 || inDoubtWindow < 1) {
      throw new IllegalArgumentException("connections and window must be at least 1");
    }
  }

  /** Duplicates allowed after {@code mailerKills} hard kills of a mailer and {@code smtpOutages} outages of the SMTP server. */
  public int allowed(int mailerKills, int smtpOutages) {
    return smtpConnections * (inDoubtWindow * mailerKills + smtpOutages);
  }

  /** How the bound is made, for the printed figures. */
  public String describe(int mailerKills, int smtpOutages) {
    return smtpConnections + " connections x (window " + inDoubtWindow + " x " + mailerKills + " kills + "
        + smtpOutages + " SMTP outages)";
  }
}
