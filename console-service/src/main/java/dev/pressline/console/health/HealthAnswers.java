package dev.pressline.console.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Reads a service's health answer (JSON such as {@code {"status":"UP","detail":"3 post(s)"}}, or plain
 * text) into words: its state, its reason and each other figure it reports as a named check. A field
 * this class does not know still shows, its name split into words.
 */
final class HealthAnswers {

  private static final int MAX_TEXT = 300;
  /** The status words the services use, as an operator reads them. */
  private static final Map<String, String> STATES = Map.of(
      "UP", "ready", "DOWN", "not ready", "STARTING", "starting",
      "ALIVE", "alive", "STOPPED", "stopped: needs a restart");
  /** Fields whose names read better spelt out than split. */
  private static final Map<String, String> NAMES = Map.of("fanOut", "fan-out");

  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param readiness whether this is {@code /health/ready} (else {@code /health/live}), for the words of
   *     a plain-text answer
   */
  Answer read(int status, String body, boolean readiness) {
    boolean ok = status == 200;
    String fallback = ok ? (readiness ? "ready" : "alive") : (readiness ? "not ready" : "not alive");
    JsonNode tree = parse(body);
    if (tree == null || !tree.isObject()) {
      String text = clip(body.strip().lines().findFirst().orElse(""));
      // "alive" under the tag "alive", or "ready: the topics are read" under "ready", says it twice
      if (text.toLowerCase(Locale.ROOT).startsWith(fallback)) {
        text = text.substring(fallback.length()).replaceFirst("^[:\\s]+", "");
      }
      return new Answer(ok, fallback, status == 200 || status == 503 ? text : "HTTP " + status + " " + text,
          List.of());
    }
    String state = fallback;
    List<String> reasons = new ArrayList<>();
    List<Check> checks = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : tree.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      switch (name) {
        case "status" -> state = STATES.getOrDefault(value.asText(), value.asText().toLowerCase(Locale.ROOT));
        case "reason", "detail" -> reasons.add(clip(value.asText()));
        case "service" -> {
          // the page already names the service
        }
        default -> checks.add(check(name, value));
      }
    }
    return new Answer(ok, state, String.join("; ", reasons), checks);
  }

  private JsonNode parse(String body) {
    try {
      return body.isBlank() ? null : json.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** A "…Running" flag reads as running or stopped; other flags as yes or no; lists and figures as they are. */
  private static Check check(String name, JsonNode value) {
    if (value.isBoolean() && name.endsWith("Running") && name.length() > "Running".length()) {
      String part = name.substring(0, name.length() - "Running".length());
      return new Check(words(part), value.asBoolean() ? "running" : "stopped", value.asBoolean());
    }
    return new Check(words(name), text(value), !value.isBoolean() || value.asBoolean());
  }

  private static String text(JsonNode value) {
    if (value.isNull() || value.isMissingNode()) {
      return "none";
    }
    if (value.isBoolean()) {
      return value.asBoolean() ? "yes" : "no";
    }
    if (value.isArray()) {
      return value.isEmpty() ? "none" : clip(StreamSupport.stream(value.spliterator(), false)
          .map(HealthAnswers::text).collect(Collectors.joining(", ")));
    }
    if (value.isObject()) {
      List<String> parts = new ArrayList<>();
      value.properties().forEach(f -> parts.add(words(f.getKey()) + " " + text(f.getValue())));
      return clip(String.join(", ", parts));
    }
    return clip(value.asText());
  }

  /** {@code confirmedSubscribers} → "confirmed subscribers". */
  static String words(String name) {
    String known = NAMES.get(name);
    if (known != null) {
      return known;
    }
    return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase(Locale.ROOT);
  }

  private static String clip(String text) {
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
  }
}
