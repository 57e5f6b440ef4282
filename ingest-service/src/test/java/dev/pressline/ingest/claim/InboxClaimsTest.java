package dev.pressline.ingest.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

  @Test
  void twoRunsUnderOneIdBothStopTakingFilesUntilOneHasGone(@TempDir Path inbox) throws Exception {
    try (InboxClaims first = open(inbox, "same")) {
      InboxClaims second = open(inbox, "same");
      await("both see the other").atMost(Duration.ofSeconds(10))
          .until(() -> first.sharedWith().isPresent() && second.sharedWith().isPresent());
      assertThat(first.holdsLease()).isFalse();
      assertThat(second.holdsLease()).isFalse();
      assertThat(first.sharedWith().get()).contains("process " + ProcessHandle.current().pid());

      second.close();

      await("the first alone again").atMost(Duration.ofSeconds(10))
          .until(() -> first.sharedWith().isEmpty() && first.holdsLease());
    }
  }

  @Test
  void refusesToStartWhileAnInstanceElsewhereKeepsTheIdAlive(@TempDir Path inbox) throws Exception {
    ClaimSettings settings = new ClaimSettings("same", LEASE);
    ScheduledExecutorService elsewhere = Executors.newSingleThreadScheduledExecutor();
    try {
      elsewhere.scheduleWithFixedDelay(() -> writeAlive(inbox, "other-run", 4242, "ingest-2.example"), 0, 100,
          TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(aliveFile(inbox)));

      assertThatThrownBy(() -> InboxClaims.ensureIdFree(inbox, settings, Clock.systemUTC()))
          .isInstanceOf(InstanceIdInUseException.class)
          .hasMessageContaining("process 4242 on ingest-2.example")
          .hasMessageContaining(ClaimSettings.INSTANCE_ID);
    } finally {
      elsewhere.shutdownNow();
    }
  }

  @Test
  void startsOverItsOwnKilledRunAndOverAnInstanceThatStoppedWriting(@TempDir Path inbox) throws Exception {
    ClaimSettings settings = new ClaimSettings("same", LEASE);
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    writeAlive(inbox, "killed-run", ended.pid(), InetAddress.getLocalHost().getHostName());
    long started = System.nanoTime();
    InboxClaims.ensureIdFree(inbox, settings, Clock.systemUTC());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for a process known to have ended")
        .isLessThan(settings.heartbeat());

    writeAlive(inbox, "silent-run", 4242, "ingest-2.example");
    InboxClaims.ensureIdFree(inbox, settings, Clock.systemUTC());
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

  private static Path aliveFile(Path inbox) {
    return inbox.resolve(InboxClaims.FOLDER).resolve("same.alive");
  }

  /** The alive file as another run of instance "same" writes it. */
  private static void writeAlive(Path inbox, String run, long pid, String host) {
    try {
      Path file = aliveFile(inbox);
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("same.alive." + run + ".tmp");
      Files.writeString(tmp, "instance=same\nrun=" + run + "\npid=" + pid + "\nhost=" + host + "\nat=" + Instant.now()
          + "\n");
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "# A post\n");
  }
}
