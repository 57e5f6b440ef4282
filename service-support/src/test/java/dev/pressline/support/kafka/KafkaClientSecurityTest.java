package dev.pressline.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.support.config.InvalidSettingException;
import dev.pressline.support.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSecurityTest {

  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ingest\" password=\"s3cret-pw\";";

  @Test
  void turnsEachSettingIntoTheKafkaPropertyOfTheSameName() {
    Settings settings = Settings.of(Map.of(
        "PRESSLINE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "PRESSLINE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "PRESSLINE_KAFKA_SASL_JAAS_CONFIG", JAAS,
        "PRESSLINE_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/pressline/ca.p12",
        "PRESSLINE_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9093"));

    KafkaClientSecurity security = KafkaClientSecurity.from(settings);

    assertThat(security.properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", JAAS,
        "ssl.truststore.location", "/etc/pressline/ca.p12"));
  }

  @Test
  void readsASecretFromTheFileNamedByTheFileVariant(@TempDir Path dir) throws Exception {
    Path jaas = Files.writeString(dir.resolve("jaas"), JAAS + "\n");
    Path password = Files.writeString(dir.resolve("truststore-password"), "store-pw\n");

    KafkaClientSecurity security = KafkaClientSecurity.from(Settings.of(Map.of(
        "PRESSLINE_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString(),
        "PRESSLINE_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE", password.toString())));

    assertThat(security.properties())
        .containsEntry("sasl.jaas.config", JAAS)
        .containsEntry("ssl.truststore.password", "store-pw");
  }

  @Test
  void refusesAMisspeltSetting() {
    Settings settings = Settings.of(Map.of("PRESSLINE_KAFKA_SASL_JASS_CONFIG", JAAS));

    assertThatThrownBy(() -> KafkaClientSecurity.from(settings))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("PRESSLINE_KAFKA_SASL_JASS_CONFIG")
        .hasMessageContaining("PRESSLINE_KAFKA_SASL_JAAS_CONFIG")
        .hasMessageNotContaining("s3cret-pw");
  }

  @Test
  void refusesAValueGivenBothDirectlyAndByFile(@TempDir Path dir) throws Exception {
    Path jaas = Files.writeString(dir.resolve("jaas"), JAAS);
    Settings settings = Settings.of(Map.of(
        "PRESSLINE_KAFKA_SASL_JAAS_CONFIG", JAAS,
        "PRESSLINE_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString()));

    assertThatThrownBy(() -> KafkaClientSecurity.from(settings))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("keep one of them");
  }

  @Test
  void everySecurityPropertyOfTheClientsHasASettingThatLeadsBackToIt() {
    for (String property : KafkaClientSecurity.knownProperties()) {
      String name = KafkaClientSecurity.settingName(property);
      KafkaClientSecurity security = KafkaClientSecurity.from(Settings.of(Map.of(name, "x")));
      assertThat(security.properties()).as(name).containsOnlyKeys(property);
    }
  }

  @Test
  void printsNoPasswordAndNoLoginLine() {
    KafkaClientSecurity security = KafkaClientSecurity.of(Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.jaas.config", JAAS,
        "ssl.truststore.password", "store-pw"));
    KafkaSettings kafka = new KafkaSettings("kafka-1:9093", new TopicNames("pressline."), 12, (short) 3, security);

    assertThat(kafka.toString())
        .contains("security.protocol=SASL_SSL", "sasl.jaas.config=[hidden]", "ssl.truststore.password=[hidden]")
        .doesNotContain("s3cret-pw", "store-pw");
  }

  @Test
  void everyClientGetsTheSecuritySettings() {
    KafkaClientSecurity security = KafkaClientSecurity.of(Map.of("security.protocol", "SASL_SSL"));
    KafkaSettings kafka = new KafkaSettings("kafka-1:9093", new TopicNames("pressline."), 12, (short) 3, security);

    for (Properties props : new Properties[] {
        ClientProperties.producer(kafka, "p"),
        ClientProperties.transactionalProducer(kafka, "t", "t"),
        ClientProperties.groupConsumer(kafka, "c", "g"),
        ClientProperties.reader(kafka, "r"),
        ClientProperties.admin(kafka, "a")}) {
      assertThat(props).containsEntry("security.protocol", "SASL_SSL");
    }
  }

  @Test
  void withoutSettingsTheClientsConnectAsKafkaDoesByDefault() {
    KafkaSettings kafka = KafkaSettings.from(Settings.of(Map.of()));

    assertThat(kafka.security().isNone()).isTrue();
    assertThat(ClientProperties.producer(kafka, "p")).doesNotContainKey("security.protocol");
  }
}
