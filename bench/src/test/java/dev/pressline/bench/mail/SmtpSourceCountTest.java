package dev.pressline.bench.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmtpSourceCountTest {

  @Test
  void readsTheLastFigureOfTheRunningCounter() {
    assertThat(MailThroughputBench.smtpSourceCount("1\r2\r3\r299\r300\r\n")).isEqualTo(300);
  }

  @Test
  void countsNothingWhenSmtpSourcePrintedNoCounter() {
    assertThat(MailThroughputBench.smtpSourceCount("smtp-source: warning: connect: Connection refused\n")).isZero();
  }

  @Test
  void ignoresFiguresInsideWarnings() {
    assertThat(MailThroughputBench.smtpSourceCount("1\r2\rsmtp-source: warning: 421 busy\n")).isEqualTo(2);
  }
}
