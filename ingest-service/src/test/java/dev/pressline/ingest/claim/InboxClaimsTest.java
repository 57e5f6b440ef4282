package dev.pressline.ingest.claim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboxClaimsTest {

  private static final Duration LEASE = Duration.ofSeconds(2);

  @Test
  void twoInstancesClaimingTheSameFilesAtOnceGetEachFileExactlyOnce(@TempDir Path inbox) throws Exception {
    Map<Path, Instant> files = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      Path dir = i % 2 == 0 ? inbox : Files.createDirectories(inbox.resolve("episode-" + (i % 5)));
      files.put(Files.writeString(dir.resolve("post-" + i + ".md"), "# Post " + i), Instant.now());
    }
    try (InboxClaims a = open(inbox, "a"); InboxClaims b = open(inbox, "b")) {
      CountDownLatch go = new CountDownLatch(1);
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> claimAfter(go, a, files));
      CompletableFuture<Void> second = CompletableFuture.runAsync(() -> claimAfter(go, b, files));
      go.countDown();
      CompletableFuture.allOf(first, second).join();

      List<Path> originals = new ArrayList<>();
      for (InboxClaims claims : List.of(a, b)) {
        for (InboxClaims.Held held : claims.held()) {
          originals.add(InboxClaims.originalPath(inbox, held.file()));
        }
      }
      assertThat(originals).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(files.keySet());
      assertThat(files.keySet()).noneMatch(Files::exists);
    }
  }

  @Test
  void takesOverOnlyOldClaimsOfAnInstanceThatStoppedShowingItIsAlive(@TempDir Path inbox) throws Exception {
    long old = System.currentTimeMillis() - LEASE.toMillis() * 3;
    Path dead = inbox.resolve(InboxClaims.FOLDER).resolve("dead");
    Path deadOld = write(dead.resolve(Long.toString(old)).resolve("episode-1/old.md"));
    Path deadRecent = write(dead.resolve(Long.toString(System.currentTimeMillis())).resolve("recent.md"));
    try (InboxClaims alive = open(inbox, "alive"); InboxClaims taker = open(inbox, "taker")) {
      Path aliveOld = write(inbox.resolve(InboxClaims.FOLDER).resolve("alive").resolve(Long.toString(old))
          .resolve("busy.md"));

      taker.takeOverAbandoned();

      List<InboxClaims.Held> held = taker.held();
      assertThat(held).hasSize(1);
      assertThat(InboxClaims.originalPath(inbox, held.get(0).file())).isEqualTo(inbox.resolve("episode-1/old.md"));
      assertThat(deadOld).doesNotExist();
      assertThat(deadRecent).as("claimed less than a lease ago").exists();
      assertThat(aliveOld).as("its owner is alive").exists();
    }
  }

  @Test
  void aStoppedInstanceHandsItsFilesBackToTheInbox(@TempDir Path inbox) throws Exception {
    Path post = write(inbox.resolve("episode-2/post.md"));
    InboxClaims claims = open(inbox, "a");
    claims.claim(Map.of(post, Instant.now()));
    assertThat(post).doesNotExist();

    claims.close();

    assertThat(post).exists();
    assertThat(inbox.resolve(InboxClaims.FOLDER).resolve("a.alive")).doesNotExist();
  }

  @Test
  void aClaimedFileKeepsItsPathInTheInbox(@TempDir Path inbox) {
    Path claimed = inbox.resolve(InboxClaims.FOLDER).resolve("a").resolve("1733364000123").resolve("ep/x.md");

    assertThat(InboxClaims.originalPath(inbox, claimed)).isEqualTo(inbox.resolve("ep/x.md"));
    assertThat(InboxClaims.originalPath(inbox, inbox.resolve("ep/x.md"))).isEqualTo(inbox.resolve("ep/x.md"));
  }

  @Test
  void withoutAnInstanceIdNothingIsClaimed(@TempDir Path inbox) throws Exception {
    try (InboxClaims claims = InboxClaims.open(inbox, ClaimSettings.single(), Clock.systemUTC())) {
      assertThat(claims.shared()).isFalse();
      assertThat(claims.holdsLease()).isTrue();
      assertThat(inbox.resolve(InboxClaims.FOLDER)).doesNotExist();
    }
  }

  private static InboxClaims open(Path inbox, String id) {
    return InboxClaims.open(inbox, new ClaimSettings(id, LEASE), Clock.systemUTC());
  }

  private static void claimAfter(CountDownLatch go, InboxClaims claims, Map<Path, Instant> files) {
    try {
      go.await();
      claims.claim(files);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path write(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "# A post\n");
  }
}
