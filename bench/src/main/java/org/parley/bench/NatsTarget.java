package org.parley.bench;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ConsumerContext;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.support.Status;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * NATS JetStream through its official Java client, shaped like the Parley runs: one file-storage
 * stream with the server's default settings (no fsync on the message path), a subject per pair, a
 * publisher connection per pair publishing asynchronously, and a consumer connection per pair with
 * a pull consumer that acknowledges in batches (AckAll on the last message of a batch, the
 * counterpart of Parley's ack frames). The stream is deleted on close.
 */
final class NatsTarget implements Target {
  private final String url;
  private final String store;
  private final int ackBatch;
  private final String tag;
  private final String stream;
  private final Connection admin;
  private final JetStreamManagement jsm;
  private final long serverPid;
  private final ScheduledExecutorService timer;
  private final List<Pair> pairs = new ArrayList<>();
  private final AtomicReference<String> problem = new AtomicReference<>();
  private volatile boolean disconnecting;
  private int generation;

  /** Keeps the client's complaints for the report instead of logging each one. */
  private final ErrorListener errors =
      new ErrorListener() {
        @Override
        public void errorOccurred(Connection conn, String error) {
          note("error: " + error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
          note("exception: " + exp);
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
          note("slow consumer");
        }

        @Override
        public void messageDiscarded(Connection conn, Message msg) {
          note("message discarded");
        }

        @Override
        public void pullStatusError(Connection conn, JetStreamSubscription sub, Status status) {
          note("pull status " + status);
        }

        @Override
        public void heartbeatAlarm(
            Connection conn,
            JetStreamSubscription sub,
            long lastStreamSequence,
            long lastConsumerSequence) {
          note("heartbeat alarm");
        }
      };

  private void note(String what) {
    if (!disconnecting) {
      problem.compareAndSet(null, what);
    }
  }

  /**
   * @param store the label of the rows: how the server stores ("jetstream-file", ...)
   * @param serverPid the nats-server process, for its CPU time; -1 if unknown
   */
  NatsTarget(String url, String store, long serverPid, int ackBatch) throws Exception {
    this.url = url;
    this.store = store;
    this.ackBatch = ackBatch;
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    this.tag = HexFormat.of().formatHex(random);
    this.stream = "PARLEY_BENCH_" + tag;
    this.admin = Nats.connect(options("parley-bench-admin"));
    this.jsm = admin.jetStreamManagement();
    jsm.addStream(
        StreamConfiguration.builder()
            .name(stream)
            .subjects("parleybench." + tag + ".>")
            .storageType(StorageType.File)
            .build());
    this.serverPid = serverPid;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("nats-ack-timer").unstarted(r));
  }

  private Options options(String name) {
    return new Options.Builder().server(url).connectionName(name).errorListener(errors).build();
  }

  private String subject(int pair) {
    return "parleybench." + tag + "." + pair;
  }

  /** The nats-server process on this machine, for its CPU time; -1 if there is none. */
  static long localServerPid() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/nats-server")).orElse(false))
        .mapToLong(ProcessHandle::pid)
        .findFirst()
        .orElse(-1);
  }

  @Override
  public String system() {
    return "nats";
  }

  @Override
  public String store() {
    return store;
  }

  @Override
  public void connect(int count, ReceiptSink sink) throws Exception {
    generation++;
    for (int i = 0; i < count; i++) {
      Connection publisher = Nats.connect(options("parley-bench-pub-" + i));
      Connection subscriber = Nats.connect(options("parley-bench-sub-" + i));
      String consumerName = "c" + generation + "_" + i;
      ConsumerContext context =
          subscriber
              .getStreamContext(stream)
              .createOrUpdateConsumer(
                  ConsumerConfiguration.builder()
                      .durable(consumerName)
                      .filterSubject(subject(i))
                      .deliverPolicy(DeliverPolicy.New)
                      .ackPolicy(AckPolicy.All)
                      .build());
      Pair pair = new Pair(publisher, publisher.jetStream(), subscriber, consumerName, sink);
      pair.consumer = context.consume(pair::onMessage);
      pairs.add(pair);
    }
  }

  @Override
  public CompletableFuture<?> send(int pair, Payload payload) {
    return pairs.get(pair).js.publishAsync(subject(pair), payload.encode());
  }

  @Override
  public void drain(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Pair pair : pairs) {
      pair.flush();
    }
    for (Pair pair : pairs) {
      while (pair.consumer.getConsumerInfo().getNumAckPending() > 0
          && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
    }
  }

  @Override
  public String problems() {
    if (problem.get() != null) {
      return problem.get();
    }
    for (Pair pair : pairs) {
      if (pair.problem.get() != null) {
        return pair.problem.get();
      }
    }
    return null;
  }

  @Override
  public void disconnect() throws Exception {
    disconnecting = true;
    for (Pair pair : pairs) {
      pair.consumer.stop();
      pair.consumer.close();
      pair.subscriber.close();
      pair.publisher.close();
      jsm.deleteConsumer(stream, pair.consumerName);
    }
    pairs.clear();
    problem.set(null);
    disconnecting = false;
  }

  @Override
  public OptionalLong serverCpuNanos() {
    return serverPid > 0 ? ProcessCpu.nanos(serverPid) : OptionalLong.empty();
  }

  @Override
  public void close() {
    try {
      disconnect();
    } catch (Exception e) {
      System.err.println("! closing the NATS pairs: " + e);
    }
    timer.shutdownNow();
    try {
      jsm.deleteStream(stream);
      admin.close();
    } catch (Exception e) {
      System.err.println("! deleting NATS stream " + stream + ": " + e);
    }
  }

  /** One publisher and its consumer. */
  private final class Pair {
    final Connection publisher;
    final JetStream js;
    final Connection subscriber;
    final String consumerName;
    final ReceiptSink sink;
    final AtomicReference<String> problem = new AtomicReference<>();
    final AtomicLong received = new AtomicLong();
    MessageConsumer consumer;
    private Message unacked; // guarded by this
    private int unackedCount; // guarded by this

    Pair(
        Connection publisher,
        JetStream js,
        Connection subscriber,
        String consumerName,
        ReceiptSink sink) {
      this.publisher = publisher;
      this.js = js;
      this.subscriber = subscriber;
      this.consumerName = consumerName;
      this.sink = sink;
    }

    void onMessage(Message message) {
      long now = System.nanoTime();
      byte[] data = message.getData();
      sink.received(data, 0, data.length, now);
      received.incrementAndGet();
      boolean full;
      boolean first;
      synchronized (this) {
        unacked = message;
        unackedCount++;
        full = unackedCount >= ackBatch;
        first = unackedCount == 1;
      }
      if (full) {
        flush();
      } else if (first) {
        timer.schedule(this::flush, 5, TimeUnit.MILLISECONDS);
      }
    }

    /** Acknowledges everything up to the last message received (AckAll). */
    void flush() {
      Message last;
      synchronized (this) {
        last = unacked;
        unacked = null;
        unackedCount = 0;
      }
      if (last != null) {
        try {
          last.ack();
        } catch (RuntimeException e) {
          problem.compareAndSet(null, "ack failed: " + e);
        }
      }
    }
  }
}
