package dev.pressline.console.view;

import dev.pressline.events.FileOutcome;
import dev.pressline.support.kafka.TopicFollower;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened to the latest inbox files, and which wait for a file they name, from the
 * {@code file-outcomes} topic ingest writes.
 */
public final class Inbox implements TopicFollower.Handler<FileOutcome> {

  /** Outcomes kept for the page. */
  private static final int KEPT = 500;
  /** What ingest says of a waiting file that left the inbox without being taken. */
  private static final String GONE = "gone";

  private final Deque<FileOutcome> latest = new ArrayDeque<>();
  private final Map<String, FileOutcome> waiting = new LinkedHashMap<>();

  @Override
  public synchronized void onRecord(String key, FileOutcome value) {
    if (value == null) {
      return;
    }
    if (value.kind() == FileOutcome.Kind.WAITING) {
      if (GONE.equals(value.reason())) {
        waiting.remove(value.file());
      } else {
        waiting.put(value.file(), value);
      }
      return;
    }
    waiting.remove(value.file());
    latest.addFirst(value);
    if (latest.size() > KEPT) {
      latest.removeLast();
    }
  }

  /** The latest outcomes, newest first, of the given kind (null: all kinds). */
  public synchronized List<FileOutcome> latest(FileOutcome.Kind kind, int limit) {
    List<FileOutcome> found = new ArrayList<>();
    for (FileOutcome o : latest) {
      if (kind == null || o.kind() == kind) {
        found.add(o);
        if (found.size() == limit) {
          break;
        }
      }
    }
    return found;
  }

  public synchronized List<FileOutcome> waiting() {
    return List.copyOf(waiting.values());
  }
}
