package dev.pressline.publisher.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class InDoubtWindowTest {

  @Test
  void holdsWindowTimesConnectionsPermitsAndMakesTheNextAttemptWaitForARelease() throws Exception {
    InDoubtWindow window = new InDoubtWindow(3, 2);
    assertThat(window.size()).isEqualTo(6);
    List<InDoubtWindow.Permit> taken = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      taken.add(window.acquire());
    }
    assertThat(window.taken()).isEqualTo(6);

    CompletableFuture<InDoubtWindow.Permit> seventh = CompletableFuture.supplyAsync(() -> {
      try {
        return window.acquire();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThatThrownBy(() -> seventh.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

    taken.get(0).release();
    assertThat(seventh.get(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(window.taken()).isEqualTo(6);
  }

  @Test
  void aPermitReleasedTwiceGivesBackOnePlace() throws Exception {
    InDoubtWindow window = new InDoubtWindow(1, 2);
    InDoubtWindow.Permit permit = window.acquire();
    window.acquire();
    permit.release();
    permit.release();
    assertThat(window.taken()).isEqualTo(1);
  }

  @Test
  void aWindowBelowOneIsRefused() {
    assertThatThrownBy(() -> new InDoubtWindow(0, 8)).isInstanceOf(IllegalArgumentException.class);
  }
}
