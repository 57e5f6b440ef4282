package dev.pressline.support.kafka;

import static java.util.Objects.requireNonNull;

import dev.pressline.support.config.InvalidSettingException;
import dev.pressline.support.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * How every Kafka client of a service proves who it is and checks whom it talks to: the client's own
 * {@code security.*}, {@code ssl.*} and {@code sasl.*} properties, given to every producer, consumer
 * and admin client alike.
 *
 * <p>One rule names them: {@code PRESSLINE_KAFKA_} and the Kafka property in capitals with dots as
 * underscores ({@code sasl.jaas.config} is {@code PRESSLINE_KAFKA_SASL_JAAS_CONFIG}). The same name with
 * {@code _FILE} appended reads the value from that file instead, so secrets can come from a mounted
 * secret rather than the environment. A name under those three prefixes that is no Kafka client
 * property stops the start: a misspelt setting would otherwise leave the client unsecured or unable
 * to connect with no word why.
 *
 * <p>The values are secrets; {@link #toString()} names the properties set and never their values.
 */
public final class KafkaClientSecurity {

  /** Every setting name of this kind starts with this. */
  public static final String PREFIX = "PRESSLINE_KAFKA_";

  /** Appended to a setting's name, it names a file holding the value. */
  public static final String FILE_SUFFIX = "_FILE";

  private static final Set<String> GROUPS = Set.of("security.", "ssl.", "sasl.");

  private static final KafkaClientSecurity NONE = new KafkaClientSecurity(Map.of());

  private final Map<String, String> properties;

  private KafkaClientSecurity(Map<String, String> properties) {
    this.properties = Map.copyOf(properties);
  }

  /** No security settings: Kafka's default, a PLAINTEXT connection without authentication. */
  public static KafkaClientSecurity none() {
    return NONE;
  }

  /** The given Kafka client properties, each of which must be a security, SSL or SASL one. */
  public static KafkaClientSecurity of(Map<String, String> properties) {
    requireNonNull(properties, "properties");
    Set<String> known = knownProperties();
    properties.keySet().forEach(name -> {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("not a Kafka client security, SSL or SASL property: " + name);
      }
    });
    return properties.isEmpty() ? NONE : new KafkaClientSecurity(properties);
  }

  /** Reads every {@code PRESSLINE_KAFKA_SECURITY_…}, {@code …_SSL_…} and {@code …_SASL_…} setting. */
  public static KafkaClientSecurity from(Settings settings) {
    Map<String, String> byName = new HashMap<>();
    for (String property : knownProperties()) {
      byName.put(settingName(property), property);
    }
    Map<String, String> properties = new TreeMap<>();
    for (String name : settings.names()) {
      if (!isSecuritySetting(name) || settings.optional(name) == null) {
        continue;
      }
      String property = byName.get(name);
      if (property != null) {
        putOnce(properties, property, settings.optional(name), name);
        continue;
      }
      String withoutSuffix = name.endsWith(FILE_SUFFIX)
          ? name.substring(0, name.length() - FILE_SUFFIX.length()) : null;
      property = withoutSuffix == null ? null : byName.get(withoutSuffix);
      if (property == null) {
        throw new InvalidSettingException(name, "is no Kafka client property: a setting named "
            + PREFIX + "SECURITY_…, " + PREFIX + "SSL_… or " + PREFIX + "SASL_… must be a Kafka client "
            + "property in capitals with dots as underscores (sasl.jaas.config is " + settingName("sasl.jaas.config")
            + "), optionally followed by " + FILE_SUFFIX);
      }
      putOnce(properties, property, readSecret(name, Path.of(settings.optional(name))), name);
    }
    return properties.isEmpty() ? NONE : new KafkaClientSecurity(properties);
  }

  private static boolean isSecuritySetting(String name) {
    return name.startsWith(PREFIX + "SECURITY_") || name.startsWith(PREFIX + "SSL_")
        || name.startsWith(PREFIX + "SASL_");
  }

  private static void putOnce(Map<String, String> properties, String property, String value, String name) {
    if (properties.putIfAbsent(property, value) != null) {
      throw new InvalidSettingException(name, "sets " + property + ", which is set already by "
          + settingName(property) + " or " + settingName(property) + FILE_SUFFIX + "; keep one of them");
    }
  }

  private static String readSecret(String name, Path file) {
    try {
      // a secret file usually ends with a newline that is not part of the secret
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new InvalidSettingException(name, "cannot read the file " + file + " (" + e.getMessage() + ")");
    }
  }

  /** The setting that carries a Kafka client property: {@code ssl.key.password} → {@code PRESSLINE_KAFKA_SSL_KEY_PASSWORD}. */
  public static String settingName(String property) {
    return PREFIX + property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The security, SSL and SASL properties that producers, consumers and admin clients know. */
  static Set<String> knownProperties() {
    return Stream.of(ProducerConfig.configNames(), ConsumerConfig.configNames(), AdminClientConfig.configNames())
        .flatMap(Set::stream)
        .filter(name -> GROUPS.stream().anyMatch(name::startsWith))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The Kafka client properties to add to every client's configuration. */
  public Map<String, String> properties() {
    return properties;
  }

  /** Whether the clients connect as Kafka does by default (PLAINTEXT, no authentication). */
  public boolean isNone() {
    return properties.isEmpty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KafkaClientSecurity that && properties.equals(that.properties);
  }

  @Override
  public int hashCode() {
    return properties.hashCode();
  }

  /** The property names and, for those Kafka does not treat as passwords, their values. */
  @Override
  public String toString() {
    Map<String, ConfigDef.ConfigKey> keys = new HashMap<>();
    keys.putAll(AdminClientConfig.configDef().configKeys());
    keys.putAll(ConsumerConfig.configDef().configKeys());
    keys.putAll(ProducerConfig.configDef().configKeys());
    return new TreeMap<>(properties).entrySet().stream()
        .map(e -> {
          ConfigDef.ConfigKey key = keys.get(e.getKey());
          boolean secret = key == null || key.type == ConfigDef.Type.PASSWORD;
          return e.getKey() + "=" + (secret ? "[hidden]" : e.getValue());
        })
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
