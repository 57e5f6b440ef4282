package dev.pressline.bench.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutcomeCounterTest {

  @Test
  void sentFailedAndBouncedAreAddedUp() {
    String metrics = """
        # HELP pressline_publisher_mails_sent_total Messages the SMTP server accepted
        # TYPE pressline_publisher_mails_sent_total counter
        pressline_publisher_mails_sent_total 29990.0
        pressline_publisher_mails_failed_total 7.0
        pressline_publisher_mails_bounced_total 3.0
        pressline_publisher_smtp_retries_total 12.0
        pressline_publisher_jobs_fanned_out_total 30000.0
        """;
    assertThat(MailThroughputBench.outcomes(metrics)).isEqualTo(30_000);
  }

  @Test
  void nothingCountedBeforeTheCountersExist() {
    assertThat(MailThroughputBench.outcomes("# HELP jvm_threads_live_threads\njvm_threads_live_threads 40.0\n"))
        .isZero();
  }
}
