package org.parley.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** One connection's tasks: each runs once, one at a time, in the order each producer gave them. */
class SerialExecutorTest {
  @RepeatedTest(5)
  void tasksFromManyThreadsRunOnceEachOneAtATimeInOrder() throws Exception {
    SerialExecutor executor = new SerialExecutor();
    int producers = 8;
    int perProducer = 2_000;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    List<int[]> ran = new ArrayList<>(); // only touched by the tasks, which never overlap
    CountDownLatch done = new CountDownLatch(producers * perProducer);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < perProducer; i++) {
                      int n = i;
                      executor.execute(
                          () -> {
                            if (inside.incrementAndGet() != 1) {
                              overlaps.incrementAndGet();
                            }
                            ran.add(new int[] {producer, n});
                            inside.decrementAndGet();
                            done.countDown();
                          });
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).as("every task ran within 60 s").isTrue();
    assertThat(overlaps.get()).isZero();
    assertThat(ran).hasSize(producers * perProducer);
    int[] next = new int[producers];
    for (int[] task : ran) {
      assertThat(task[1]).as("producer %d's order", task[0]).isEqualTo(next[task[0]]++);
    }
  }

  @Test
  void aShutDownExecutorRefusesNewTasks() {
    SerialExecutor executor = new SerialExecutor();
    executor.shutdown();
    assertThatThrownBy(() -> executor.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
  }
}
