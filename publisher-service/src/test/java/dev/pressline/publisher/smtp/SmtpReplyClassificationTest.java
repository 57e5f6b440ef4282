package dev.pressline.publisher.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.junit.jupiter.api.Test;

class SmtpReplyClassificationTest {

  private static final InternetAddress READER = address("reader@example.org");

  @Test
  void aRecipientRefusedWith5xxIsPermanent() {
    MessagingException refused = new SendFailedException("Invalid Addresses",
        new SMTPAddressFailedException(READER, "RCPT TO:<reader@example.org>", 550, "550 5.1.1 no such user"),
        new Address[0], new Address[0], new Address[] {READER});

    assertThat(SmtpMailSender.classify(refused, true).kind()).isEqualTo(SendResult.Kind.PERMANENT);
  }

  @Test
  void aQuotaOrContentRefusalDoesNotBounceTheRecipient() {
    MessagingException quota = new SMTPSendFailedException("MAIL FROM", 550,
        "550 5.4.5 Daily sending quota exceeded", null, null, null, null);
    MessagingException content = new SMTPSendFailedException("DATA", 554,
        "554 5.7.1 content rejected", null, new Address[0], new Address[] {READER}, new Address[0]);
    MessagingException sender = new SMTPSenderFailedException(address("letter@example.org"), "MAIL FROM", 553,
        "553 sender not owned by user");

    assertThat(SmtpMailSender.classify(quota, true).kind()).isEqualTo(SendResult.Kind.TEMPORARY);
    assertThat(SmtpMailSender.classify(content, true).kind()).isEqualTo(SendResult.Kind.TEMPORARY);
    assertThat(SmtpMailSender.classify(sender, true).kind()).isEqualTo(SendResult.Kind.TEMPORARY);
  }

  @Test
  void aGreylistedRecipientIsTemporary() {
    MessagingException greylisted = new SendFailedException("Invalid Addresses",
        new SMTPAddressFailedException(READER, "RCPT TO:<reader@example.org>", 451, "451 4.7.1 greylisted"));

    assertThat(SmtpMailSender.classify(greylisted, true).kind()).isEqualTo(SendResult.Kind.TEMPORARY);
  }

  @Test
  void aConnectionLostMidConversationLeavesItOpenWhetherTheMessageArrived() {
    MessagingException lost = new MessagingException("Exception reading response",
        new java.net.SocketException("Connection reset"));
    MessagingException greylisted = new SendFailedException("Invalid Addresses",
        new SMTPAddressFailedException(READER, "RCPT TO:<reader@example.org>", 451, "451 4.7.1 greylisted"));

    assertThat(SmtpMailSender.classify(lost, true).mayHaveArrived()).as("broke during the conversation").isTrue();
    assertThat(SmtpMailSender.classify(lost, false).mayHaveArrived()).as("broke while connecting").isFalse();
    assertThat(SmtpMailSender.classify(greylisted, true).mayHaveArrived()).as("the server answered").isFalse();
  }

  @Test
  void aConnectionThatEndsBeforeTheMessagesEndLeavesNoDoubt() {
    // Angus reports an end of stream as return code -1, with the command it had sent
    MessagingException atSender = new SMTPSendFailedException("MAIL FROM:<letter@example.org>", -1, "[EOF]", null,
        null, null, null);
    MessagingException atData = new SMTPSendFailedException("DATA", -1, "[EOF]", null, null, null, null);
    MessagingException atRecipient = new SendFailedException("Invalid Addresses",
        new SMTPAddressFailedException(READER, "RCPT TO:<reader@example.org>", -1, "[EOF]"));
    MessagingException afterTheEnd = new SMTPSendFailedException(".", -1, "[EOF]", null, null, null, null);

    assertThat(SmtpMailSender.classify(atSender, true).mayHaveArrived()).as("at MAIL FROM").isFalse();
    assertThat(SmtpMailSender.classify(atData, true).mayHaveArrived()).as("at DATA").isFalse();
    assertThat(SmtpMailSender.classify(atRecipient, true).mayHaveArrived()).as("at RCPT TO").isFalse();
    assertThat(SmtpMailSender.classify(afterTheEnd, true).mayHaveArrived()).as("after the final dot").isTrue();
    assertThat(SmtpMailSender.classify(afterTheEnd, true).kind()).isEqualTo(SendResult.Kind.TEMPORARY);
  }

  private static InternetAddress address(String text) {
    try {
      return new InternetAddress(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
