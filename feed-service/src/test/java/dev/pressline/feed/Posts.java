package dev.pressline.feed;

import dev.pressline.events.EventJson;
import dev.pressline.events.MediaRef;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.support.kafka.ClientProperties;
import dev.pressline.support.kafka.JsonSerde;
import dev.pressline.support.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes post events to the real posts topic, as ingest-service would. */
public final class Posts implements AutoCloseable {

  private final KafkaProducer<String, PostEvent> producer;
  private final String topic;

  Posts(KafkaSettings kafka) {
    this.producer =
        new KafkaProducer<>(
            ClientProperties.producer(kafka, "feed-test"),
            new StringSerializer(),
            JsonSerde.serializer(new EventJson()));
    this.topic = kafka.topics().posts();
  }

  void send(PostEvent event) {
    try {
      producer.send(new ProducerRecord<>(topic, event.slug(), event)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  static PostEvent post(String slug, String title, Instant publishAt) {
    return new PostEvent(
        PostEvent.SCHEMA_VERSION,
        PostChange.PUBLISHED,
        slug,
        1,
        title,
        "Jane Doe",
        "About " + title,
        "<p>" + title + " – body</p>",
        title + " – body",
        publishAt,
        List.of("advice"),
        null,
        null,
        false,
        true,
        null,
        null,
        "hash-" + slug,
        slug + ".txt",
        publishAt);
  }

  static PostEvent episode(String slug, String title, Instant publishAt, MediaRef audio) {
    PostEvent p = post(slug, title, publishAt);
    return new PostEvent(
        p.schemaVersion(),
        p.change(),
        slug,
        1,
        title,
        p.author(),
        p.summary(),
        p.html(),
        p.text(),
        publishAt,
        p.tags(),
        audio,
        null,
        true,
        true,
        7,
        2,
        p.contentHash(),
        p.sourceFile(),
        publishAt);
  }

  public static PostEvent retracted(PostEvent p, Instant at) {
    return new PostEvent(
        p.schemaVersion(),
        PostChange.RETRACTED,
        p.slug(),
        p.revision() + 1,
        p.title(),
        p.author(),
        p.summary(),
        p.html(),
        p.text(),
        p.publishAt(),
        p.tags(),
        p.audio(),
        p.image(),
        p.explicit(),
        p.email(),
        p.episode(),
        p.season(),
        p.contentHash(),
        p.sourceFile(),
        at);
  }

  static PostEvent updated(PostEvent p, String html, Instant at) {
    return new PostEvent(
        p.schemaVersion(),
        PostChange.UPDATED,
        p.slug(),
        p.revision() + 1,
        p.title(),
        p.author(),
        p.summary(),
        html,
        p.text(),
        p.publishAt(),
        p.tags(),
        p.audio(),
        p.image(),
        p.explicit(),
        p.email(),
        p.episode(),
        p.season(),
        p.contentHash() + "u",
        p.sourceFile(),
        at);
  }

  /** The first non-blank line of each sample post the editors sent, in file order. */
  static List<String> seedTitles() {
    Path seeds = Path.of(System.getProperty("pressline.seeds", "../../shared/seeds"));
    try (var files = Files.list(seeds)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".txt"))
          .sorted()
          .map(Posts::firstLine)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstLine(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty())
          .findFirst()
          .orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
