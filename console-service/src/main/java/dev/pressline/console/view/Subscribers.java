package dev.pressline.console.view;

import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.support.kafka.TopicFollower;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The subscriber list as the console sees it: each address's state and its recent changes, the count
 * per state, and the confirmed count's change per day for the growth chart. Built from the compacted
 * {@code subscribers} topic, so the history holds what compaction has not yet folded away.
 */
public final class Subscribers implements TopicFollower.Handler<SubscriberEvent> {

  /** Changes kept per address for the look-up. */
  private static final int HISTORY = 10;

  private final Map<String, SubscriberEvent> latest = new HashMap<>();
  private final Map<String, Deque<SubscriberEvent>> history = new HashMap<>();
  private final NavigableMap<LocalDate, Integer> confirmedDelta = new TreeMap<>();

  @Override
  public synchronized void onRecord(String key, SubscriberEvent value) {
    SubscriberEvent before = latest.get(key);
    if (value == null) {
      // the publisher never deletes an address (it records the state instead); nothing for the chart
      latest.remove(key);
      history.remove(key);
      return;
    }
    latest.put(key, value);
    Deque<SubscriberEvent> changes = history.computeIfAbsent(key, k -> new ArrayDeque<>());
    changes.addFirst(value);
    if (changes.size() > HISTORY) {
      changes.removeLast();
    }
    boolean was = before != null && before.status() == SubscriberStatus.CONFIRMED;
    boolean is = value.status() == SubscriberStatus.CONFIRMED;
    if (was != is) {
      confirmedDelta.merge(LocalDate.ofInstant(value.changedAt(), ZoneOffset.UTC), is ? 1 : -1, Integer::sum);
    }
  }

  public synchronized Map<SubscriberStatus, Integer> countsByStatus() {
    Map<SubscriberStatus, Integer> counts = new EnumMap<>(SubscriberStatus.class);
    for (SubscriberStatus s : SubscriberStatus.values()) {
      counts.put(s, 0);
    }
    latest.values().forEach(s -> counts.merge(s.status(), 1, Integer::sum));
    return counts;
  }

  /** The address's changes, newest first; empty when it is not on the list. */
  public synchronized List<SubscriberEvent> history(String email) {
    Deque<SubscriberEvent> changes = history.get(email);
    return changes == null ? List.of() : List.copyOf(changes);
  }

  /** The whole list as it is now, by address (what the CLI's import compares against). */
  public synchronized Map<String, SubscriberEvent> current() {
    return Map.copyOf(latest);
  }

  public synchronized List<SubscriberEvent> all() {
    List<SubscriberEvent> all = new ArrayList<>(latest.values());
    all.sort((a, b) -> a.email().compareTo(b.email()));
    return all;
  }

  /** Confirmed subscribers at the end of each of the {@code days} days up to {@code today}. */
  public synchronized List<Integer> confirmedPerDay(LocalDate today, int days) {
    LocalDate first = today.minusDays(days - 1L);
    int running = confirmedDelta.headMap(first, false).values().stream().mapToInt(Integer::intValue).sum();
    List<Integer> series = new ArrayList<>(days);
    for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
      running += confirmedDelta.getOrDefault(d, 0);
      series.add(running);
    }
    return series;
  }
}
