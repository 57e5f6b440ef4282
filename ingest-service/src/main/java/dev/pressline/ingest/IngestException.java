package dev.pressline.ingest;

/**
 * Root of everything ingest-service reports as a failure. Subclasses carry the context (file, line,
 * slug) so one place can turn them into words for editors and operators.
 */
public class IngestException extends RuntimeException {
  public IngestException(String message) {
    super(message);
  }

  public IngestException(String message, Throwable cause) {
    super(message, cause);
  }
}
