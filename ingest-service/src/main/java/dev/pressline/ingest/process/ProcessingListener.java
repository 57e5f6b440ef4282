package dev.pressline.ingest.process;

import dev.pressline.events.PostEvent;
import java.nio.file.Path;

/** Hears about each step of a file; the service logs, tests watch (and crash tests stop here). */
public interface ProcessingListener {

  ProcessingListener NONE = new ProcessingListener() {};

  /** Kafka acknowledged {@code event}; {@code file} is still in the inbox. */
  default void acknowledged(PostEvent event, Path file) {}

  /** The file is done with. */
  default void finished(Outcome outcome) {}
}
