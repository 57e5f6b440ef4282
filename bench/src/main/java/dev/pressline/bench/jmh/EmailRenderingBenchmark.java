package dev.pressline.bench.jmh;

import dev.pressline.bench.content.EmailFixture;
import dev.pressline.bench.content.SamplePosts;
import dev.pressline.events.PostEvent;
import dev.pressline.publisher.render.PersonalisableEmail;
import dev.pressline.publisher.render.RenderedEmail;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The publisher's per-recipient hot path, from a profile of the mail benchmark: rendering one
 * personalised email. {@code renderFully} is what a naive mailer would do per recipient;
 * {@code personalise} is what the publisher does (render once per post, splice in the recipient's
 * signed unsubscribe link, build the MIME message); {@code personaliseAndEncode} adds the
 * quoted-printable encoding that happens while the message is written to the SMTP socket.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EmailRenderingBenchmark {

  private EmailFixture fixture;
  private PostEvent post;
  private RenderedEmail shared;
  private PersonalisableEmail prepared;
  private int next;

  @Setup
  public void setUp() {
    SamplePosts samples = BenchSeeds.load();
    fixture = new EmailFixture();
    post = samples.event(0, "bench-jmh", Instant.now());
    shared = fixture.renderShared(post);
    prepared = fixture.prepare(shared);
  }

  private String recipient() {
    next = (next + 1) & 0xFFFFF;
    return "reader" + next + "@example.com";
  }

  @Benchmark
  public RenderedEmail renderFully() {
    return fixture.renderFully(post, recipient());
  }

  @Benchmark
  public MimeMessage personalise() {
    return fixture.personalise(prepared, post, recipient());
  }

  @Benchmark
  public byte[] personaliseAndEncode() {
    return EmailFixture.encode(fixture.personalise(prepared, post, recipient()));
  }

  /** Baseline in the same run: the whole email spliced and encoded per recipient, as before. */
  @Benchmark
  public byte[] personaliseAndEncodeWholeEmail() {
    return EmailFixture.encode(fixture.personaliseWholeEmail(shared, post, recipient()));
  }
}
