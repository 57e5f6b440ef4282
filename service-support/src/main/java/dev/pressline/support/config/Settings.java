package dev.pressline.support.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Raw configuration values by name, read once at start-up and turned into typed records by each
 * service's config class. Names are environment-variable style ({@code PRESSLINE_INBOX_DIR}); the same
 * names work in a properties file named by {@code PRESSLINE_CONFIG}. Environment variables win over
 * the file, the file wins over the defaults built into each service.
 */
public final class Settings {

  /** Names the optional properties file. */
  public static final String CONFIG_FILE = "PRESSLINE_CONFIG";

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static Settings of(Map<String, String> values) {
    return new Settings(values);
  }

  /** Settings from the process environment, over the properties file it names (if any). */
  public static Settings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  static Settings fromEnvironment(Map<String, String> environment) {
    Map<String, String> merged = new HashMap<>();
    String file = environment.get(CONFIG_FILE);
    if (file != null && !file.isBlank()) {
      merged.putAll(readProperties(Path.of(file)));
    }
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("PRESSLINE_")) {
            merged.put(name, value);
          }
        });
    return new Settings(merged);
  }

  private static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration file " + file, e);
    }
    Map<String, String> map = new HashMap<>();
    properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
    return map;
  }

  /** These settings with {@code overrides} taking precedence. */
  public Settings with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(overrides);
    return new Settings(merged);
  }

  /** These settings, falling back to {@code defaults} for names they do not set. */
  public Settings withDefaults(Map<String, String> defaults) {
    Map<String, String> merged = new HashMap<>(defaults);
    merged.putAll(values);
    return new Settings(merged);
  }

  /** The names of all values given, set or blank; for settings whose names are not known in advance. */
  public Set<String> names() {
    return values.keySet();
  }

  public String string(String name, String defaultValue) {
    String value = values.get(name);
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  /** A value that may be absent altogether; returns null then. */
  public String optional(String name) {
    return string(name, null);
  }

  public int integer(String name, int defaultValue, int min, int max) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(name, raw, "a whole number");
    }
    if (value < min || value > max) {
      throw new InvalidSettingException(name, raw, "a number from " + min + " to " + max);
    }
    return value;
  }

  public boolean bool(String name, boolean defaultValue) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new InvalidSettingException(name, raw, "true or false");
    };
  }

  /** A duration written as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or ISO-8601 {@code PT1S}. */
  public Duration duration(String name, Duration defaultValue) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    try {
      return parseDuration(raw);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new InvalidSettingException(name, raw, "a duration such as 500ms, 30s, 5m or 2h");
    }
  }

  static Duration parseDuration(String raw) {
    String value = raw.trim().toLowerCase(Locale.ROOT);
    if (value.startsWith("pt") || value.startsWith("p")) {
      return Duration.parse(value.toUpperCase(Locale.ROOT));
    }
    if (value.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
    }
    long amount = Long.parseLong(value.substring(0, value.length() - 1).trim());
    return switch (value.charAt(value.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> throw new NumberFormatException(raw);
    };
  }

  public Path path(String name, Path defaultValue) {
    String raw = string(name, null);
    return raw == null ? defaultValue : Path.of(raw);
  }

  /** A comma-separated list; empty entries are dropped. */
  public List<String> list(String name, List<String> defaultValue) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
