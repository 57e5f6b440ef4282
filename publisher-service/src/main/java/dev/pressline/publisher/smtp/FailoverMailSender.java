package dev.pressline.publisher.smtp;

import static java.util.Objects.requireNonNull;

import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several SMTP servers: messages are spread over them in turn, and a message whose server fails
 * temporarily (down, refusing, 4xx) is offered to the next one at once. A permanent refusal stays
 * final: another relay would refuse the same address.
 */
public final class FailoverMailSender implements MailSender {

  private final List<MailSender> servers;
  private final AtomicInteger next = new AtomicInteger();

  public FailoverMailSender(List<MailSender> servers) {
    requireNonNull(servers, "servers");
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one SMTP server is needed");
    }
    this.servers = List.copyOf(servers);
  }

  @Override
  public SendResult send(MimeMessage message) {
    int first = Math.floorMod(next.getAndIncrement(), servers.size());
    SendResult result = null;
    StringBuilder replies = new StringBuilder();
    for (int i = 0; i < servers.size(); i++) {
      result = servers.get((first + i) % servers.size()).send(message);
      // a message that may have reached one server is not handed to the next: the retry notes the doubt
      if (result.kind() != SendResult.Kind.TEMPORARY || result.mayHaveArrived()) {
        return result;
      }
      replies.append(replies.length() == 0 ? "" : "; ").append(result.reply());
    }
    return new SendResult(SendResult.Kind.TEMPORARY, "every SMTP server failed: " + replies);
  }

  @Override
  public void close() {
    servers.forEach(MailSender::close);
  }
}
