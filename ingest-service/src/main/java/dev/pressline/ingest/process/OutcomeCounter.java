package dev.pressline.ingest.process;

import dev.pressline.events.PostEvent;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what happened to files, for {@code /metrics}, and passes every step on. */
public final class OutcomeCounter implements ProcessingListener {

  private final ProcessingListener next;
  private final Map<Outcome.Kind, AtomicLong> counts = new EnumMap<>(Outcome.Kind.class);

  public OutcomeCounter(ProcessingListener next) {
    this.next = next;
    for (Outcome.Kind kind : Outcome.Kind.values()) {
      counts.put(kind, new AtomicLong());
    }
  }

  @Override
  public void acknowledged(PostEvent event, Path file) {
    next.acknowledged(event, file);
  }

  @Override
  public void finished(Outcome outcome) {
    if (outcome.kind() != Outcome.Kind.WAITING) {
      counts.get(outcome.kind()).incrementAndGet();
    }
    next.finished(outcome);
  }

  public long count(Outcome.Kind kind) {
    return counts.get(kind).get();
  }
}
