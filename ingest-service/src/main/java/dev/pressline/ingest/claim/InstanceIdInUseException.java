package dev.pressline.ingest.claim;

/** Another live ingest instance shares the inbox under the same instance id: taking files would publish them twice. */
public final class InstanceIdInUseException extends RuntimeException {
  InstanceIdInUseException(String message) {
    super(message);
  }
}
