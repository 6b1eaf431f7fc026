package org.parley.bench;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A system under test, driven the same way whatever it is: P pairs, each a sender that sends to its
 * own receiver. The {@link Driver} owns timing, windows and statistics; a target only moves bytes
 * through the system's own client.
 */
interface Target extends AutoCloseable {
  /** "parley", "nats" or "rabbitmq". */
  String system();

  /** The storage behind it, e.g. "sqlite", "postgres", "jetstream-file". */
  String store();

  /** Prepares pairs 0..pairs-1 and connects their receivers, which hand arrivals to the sink. */
  void connect(int pairs, ReceiptSink sink) throws Exception;

  /**
   * Sends one message from the pair's sender; completes once the system accepted it. Only the
   * pair's one sending thread calls it.
   */
  CompletableFuture<?> send(int pair, Payload payload);

  /** Returns once every received message has been acknowledged, or the timeout passed. */
  void drain(Duration timeout) throws Exception;

  /** What went wrong on the receiving side (error frames, closed connections), or null. */
  String problems();

  /** Closes the receivers of the pairs and forgets them. */
  void disconnect() throws Exception;

  /** CPU time (user + system) the server process has used so far, if it can be read. */
  OptionalLong serverCpuNanos();

  /** Releases everything; problems are reported on stderr rather than thrown. */
  @Override
  void close();
}
