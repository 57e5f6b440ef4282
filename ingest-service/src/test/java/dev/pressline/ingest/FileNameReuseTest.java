package dev.pressline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.ingest.IngestConfig.Folders;
import dev.pressline.ingest.testing.Inbox;
import dev.pressline.ingest.testing.RunningIngest;
import dev.pressline.support.testing.KafkaBroker;
import dev.pressline.support.testing.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 #8: a file name used again is an update when the post is mostly the same (a fixed typo),
 * and a new post when it is a different one (next week's {@code weekly.md}); the receipt says which
 * and why.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FileNameReuseTest {

  private static final String WEEK_ONE = "This week the orchard opened its gates for the first apple picking of the "
      + "season. Volunteers brought ladders and baskets, the bakery sold cider cake, and the children's choir sang "
      + "at noon. Next Saturday we press the last pears.\n";
  private static final String WEEK_TWO = "The council met on Tuesday to decide the bus timetable for the winter. "
      + "Three routes change from December, the night bus stays, and a new stop opens by the library. Bring your "
      + "questions to the market hall on Friday evening.\n";

  @TempDir Path root;

  @Test
  void aFixedTypoIsAnUpdateAndNextWeeksPostUnderTheSameNameIsANewPost(KafkaBroker broker) throws Exception {
    Folders folders = Folders.under(root.resolve("data"));
    try (RunningIngest ingest = RunningIngest.start(RunningIngest.config(broker.freshSettings(), folders))) {
      Inbox inbox = ingest.inbox();
      inbox.drop("weekly.md", "# Weekly nwes\n\n" + WEEK_ONE);
      assertThat(ingest.awaitEvents(1).get(0).slug()).isEqualTo("weekly-nwes");
      await().until(() -> inbox.inbox().isEmpty());

      // the typo in the title fixed, the file dropped again: the same post, corrected
      inbox.drop("weekly.md", "# Weekly news\n\n" + WEEK_ONE);
      PostEvent fix = ingest.awaitEvents(2).get(1);
      assertThat(fix.change()).isEqualTo(PostChange.UPDATED);
      assertThat(fix.slug()).isEqualTo("weekly-nwes");
      assertThat(fix.title()).isEqualTo("Weekly news");
      await().until(() -> inbox.inbox().isEmpty());
      assertThat(receipt(folders, "weekly.")).contains("It is an update of this post because", "mostly the same text");

      // next week, the same name, a different post: published as new and emailed; last week's stays
      inbox.drop("weekly.md", "# Weekly news\n\n" + WEEK_TWO);
      PostEvent next = ingest.awaitEvents(3).get(2);
      assertThat(next.change()).isEqualTo(PostChange.PUBLISHED);
      assertThat(next.slug()).isEqualTo("weekly-news");
      assertThat(next.email()).isTrue();
      assertThat(ingest.events()).hasSize(3).noneMatch(e -> e.change() == PostChange.RETRACTED);
      await().until(() -> inbox.inbox().isEmpty());
      assertThat(receipt(folders, "weekly.")).contains("Published as a new post", "was used before for ‘weekly-nwes’",
          "slug: weekly-nwes");
    }
  }

  /** The newest receipt whose name starts with {@code prefix}. */
  private static String receipt(Folders folders, String prefix) throws Exception {
    try (Stream<Path> files = Files.list(folders.processed())) {
      List<Path> receipts = files.filter(p -> p.getFileName().toString().startsWith(prefix)
          && p.toString().endsWith(".receipt.txt")).toList();
      Path newest = receipts.stream().max((a, b) -> {
        try {
          return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).orElseThrow();
      return Files.readString(newest);
    }
  }
}
