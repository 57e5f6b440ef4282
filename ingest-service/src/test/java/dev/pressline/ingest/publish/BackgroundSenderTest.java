package dev.pressline.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class BackgroundSenderTest {

  private static PostEvent event(String slug) {
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    return PostEvent.builder()
        .change(PostChange.PUBLISHED)
        .slug(slug)
        .title("Title")
        .author("")
        .summary("")
        .html("<p>x</p>")
        .text("x")
        .publishAt(now)
        .tags(List.of())
        .email(true)
        .contentHash("hash-" + slug)
        .sourceFile(slug + ".txt")
        .ingestedAt(now)
        .build();
  }

  /** Records what it was given; fails the slug "bad"; acknowledges once {@code release} opens. */
  private static final class GatedSink implements PostSink {
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Ack send(PostEvent event) {
      sent.add(event.slug());
      return new Ack() {
        @Override
        public void await() {
          if (event.slug().equals("bad")) {
            throw new PublishFailedException(event.slug(), new IOException("refused"));
          }
        }

        @Override
        public boolean isDone() {
          return release.getCount() == 0;
        }
      };
    }
  }

  @Test
  void sendsInTheOrderGivenAndReportsAnAcknowledgementOnlyOnceTheSinkHasOne() {
    GatedSink sink = new GatedSink();
    try (BackgroundSender sender = new BackgroundSender(sink)) {
      List<PostSink.Ack> acks = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        acks.add(sender.send(event("post-" + i)));
      }
      await().until(() -> sink.sent.size() == 50);
      assertThat(acks).noneMatch(PostSink.Ack::isDone);

      sink.release.countDown();

      assertThat(acks).allMatch(PostSink.Ack::isDone);
      assertThat(sink.sent).containsExactlyElementsOf(
          java.util.stream.IntStream.range(0, 50).mapToObj(i -> "post-" + i).toList());
    }
  }

  @Test
  void takesBackEventsNotYetHandedToTheSink() throws Exception {
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    List<String> reached = Collections.synchronizedList(new ArrayList<>());
    PostSink slow = event -> {
      reached.add(event.slug());
      sending.countDown();
      try {
        proceed.await(); // a producer waiting for the metadata of a broker that is gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("this sink acknowledges nothing");
    };
    try (BackgroundSender sender = new BackgroundSender(slow)) {
      PostSink.Ack first = sender.send(event("first"));
      PostSink.Ack queued = sender.send(event("queued"));
      sending.await();

      assertThat(first.withdraw()).as("already with the sink").isFalse();
      assertThat(queued.withdraw()).isTrue();
      proceed.countDown();

      await().until(queued::isDone);
      assertThatThrownBy(queued::await).isInstanceOf(PublishFailedException.class).hasMessageContaining("'queued'");
      assertThatThrownBy(first::await).isInstanceOf(PublishFailedException.class);
      assertThat(reached).containsExactly("first");
    }
  }

  @Test
  void passesOnTheSinksRefusalAndRefusesEverythingOnceClosed() {
    GatedSink sink = new GatedSink();
    BackgroundSender sender = new BackgroundSender(sink);
    PostSink.Ack bad = sender.send(event("bad"));
    assertThatThrownBy(bad::await).isInstanceOf(PublishFailedException.class).hasMessageContaining("refused");

    sender.close();
    PostSink.Ack late = sender.send(event("late"));
    assertThat(late.isDone()).isTrue();
    assertThatThrownBy(late::await).isInstanceOf(PublishFailedException.class).hasMessageContaining("'late'");
  }
}
