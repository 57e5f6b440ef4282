package dev.pressline.ingest.publish;

import dev.pressline.ingest.IngestException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/** Kafka did not acknowledge a post event: the file stays in the inbox and is tried again later. */
public final class PublishFailedException extends IngestException {
  public PublishFailedException(String slug, Throwable cause) {
    super("Kafka did not acknowledge the post '" + slug + "': " + describe(cause), cause);
  }

  /** Whether Kafka refused the event for its size: retrying cannot help. */
  public boolean isTooLarge() {
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t instanceof RecordTooLargeException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
  }
}
