package dev.pressline.ingest.process;

import dev.pressline.events.PostEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts what happened to files ({@code ingest_files_total{outcome=…}}) in the service's metrics
 * registry, and passes every step on.
 */
public final class OutcomeMetrics implements ProcessingListener {

  private final ProcessingListener next;
  private final Map<Outcome.Kind, Counter> counters = new EnumMap<>(Outcome.Kind.class);

  public OutcomeMetrics(MeterRegistry registry, ProcessingListener next) {
    this.next = next;
    for (Outcome.Kind kind : Outcome.Kind.values()) {
      if (kind != Outcome.Kind.WAITING) {
        counters.put(kind, Counter.builder("ingest.files")
            .description("files taken from the inbox, by what happened to them")
            .tag("outcome", kind.name().toLowerCase(Locale.ROOT))
            .register(registry));
      }
    }
  }

  @Override
  public void acknowledged(PostEvent event, Path file) {
    next.acknowledged(event, file);
  }

  @Override
  public void finished(Outcome outcome) {
    Counter counter = counters.get(outcome.kind());
    if (counter != null) {
      counter.increment();
    }
    next.finished(outcome);
  }
}
