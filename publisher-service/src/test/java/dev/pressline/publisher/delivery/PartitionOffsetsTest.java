package dev.pressline.publisher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

  private static final TopicPartition P0 = new TopicPartition("deliveries", 0);
  private static final TopicPartition P1 = new TopicPartition("deliveries", 1);

  private final PartitionOffsets offsets = new PartitionOffsets();

  @Test
  void aPartitionCommitsUpToItsOldestOpenJobAndPastEverythingOnceAllAreSettled() {
    offsets.opened(P0, 10);
    offsets.opened(P0, 11);
    offsets.opened(P0, 12);
    offsets.settled(P0, 11);
    offsets.settled(P0, 12);
    assertThat(offsets.toCommit(List.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(10)));

    offsets.settled(P0, 10);
    assertThat(offsets.toCommit(List.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
    assertThat(offsets.openJobs()).isZero();
  }

  @Test
  void aTransactionMarkerAfterTheLastJobIsCommittedPastOnceTheJobIsSettled() {
    // the fan-out's job at 7 and its transaction's commit marker at 8: the consumer stands at 9
    offsets.opened(P0, 7);
    offsets.positioned(P0, 9);
    assertThat(offsets.toCommit(List.of(P0))).as("the open job holds the commit").isEqualTo(
        Map.of(P0, new OffsetAndMetadata(7)));

    offsets.settled(P0, 7);
    assertThat(offsets.toCommit(List.of(P0))).as("past the marker: nothing left behind").isEqualTo(
        Map.of(P0, new OffsetAndMetadata(9)));

    offsets.positioned(P1, 3);
    assertThat(offsets.hasRead(P1)).as("a partition nothing was read from").isFalse();
    assertThat(offsets.toCommit(List.of(P1))).isEmpty();
  }

  @Test
  void recordsThatNeedNoWorkMoveThePositionButHoldNothingBack() {
    offsets.passed(P0, 4);
    assertThat(offsets.toCommit(List.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(5)));

    offsets.opened(P0, 5);
    offsets.passed(P0, 6);
    assertThat(offsets.toCommit(List.of(P0))).as("the open job at 5 holds the commit").isEqualTo(
        Map.of(P0, new OffsetAndMetadata(5)));
    assertThat(offsets.openJobs()).isEqualTo(1);
  }

  @Test
  void anOffsetAlreadyCommittedIsNotOfferedAgain() {
    offsets.opened(P0, 0);
    offsets.settled(P0, 0);
    Map<TopicPartition, OffsetAndMetadata> first = offsets.toCommit(List.of(P0));
    offsets.committed(first);

    assertThat(offsets.toCommit(List.of(P0))).isEmpty();
    offsets.opened(P0, 1);
    assertThat(offsets.toCommit(List.of(P0))).as("the open job at 1 is where the commit already stands").isEmpty();
    offsets.settled(P0, 1);
    assertThat(offsets.toCommit(List.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(2)));
  }

  @Test
  void onlyTheAskedPartitionsAreCommittedAndForgottenOnesStartAfresh() {
    offsets.opened(P0, 3);
    offsets.opened(P1, 7);
    offsets.settled(P1, 7);
    assertThat(offsets.toCommit(List.of(P1))).isEqualTo(Map.of(P1, new OffsetAndMetadata(8)));
    assertThat(offsets.openJobs()).isEqualTo(1);

    offsets.forget(List.of(P0));
    assertThat(offsets.openJobs()).isZero();
    assertThat(offsets.toCommit(List.of(P0, P1))).containsOnlyKeys(P1);
    offsets.settled(P0, 3);
    assertThat(offsets.toCommit(List.of(P0))).as("a settled job of a forgotten partition commits nothing").isEmpty();
  }

  @Test
  void aRecordReadAgainAfterASeekBackDoesNotMoveThePositionBackwards() {
    offsets.passed(P0, 9);
    offsets.passed(P0, 4);
    assertThat(offsets.toCommit(List.of(P0))).isEqualTo(Map.of(P0, new OffsetAndMetadata(10)));
  }
}
