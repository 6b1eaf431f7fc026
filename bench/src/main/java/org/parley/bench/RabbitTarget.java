package org.parley.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * RabbitMQ quorum queues through the official Java client, shaped like the Parley runs: a quorum
 * queue per pair ({@code x-queue-type=quorum}, durable), a publisher connection per pair that
 * publishes persistent messages with publisher confirms (accepted on the broker's confirm, at most
 * the window unconfirmed), and a consumer connection per pair with manual acknowledgements in the
 * same batches as Parley's ack frames ({@code basicAck(tag, multiple=true)} on the last message of
 * a batch, or after 5 ms). A quorum queue confirms a message once it is written and fsynced on a
 * majority of its members, here the one node. The queues are deleted on disconnect.
 */
final class RabbitTarget implements Target {
  /** Unacknowledged deliveries per consumer, as JetStream's default max_ack_pending. */
  private static final int PREFETCH = 1000;

  private final ConnectionFactory factory;
  private final int window;
  private final int ackBatch;
  private final String tag;
  private final long serverPid;
  private final ScheduledExecutorService timer;
  private final List<Pair> pairs = new ArrayList<>();
  private final AtomicReference<String> problem = new AtomicReference<>();
  private volatile boolean disconnecting;
  private int generation;

  RabbitTarget(String uri, int window, int ackBatch) throws Exception {
    this.factory = new ConnectionFactory();
    factory.setUri(uri);
    this.window = window;
    this.ackBatch = ackBatch;
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    this.tag = HexFormat.of().formatHex(random);
    this.serverPid = localServerPid();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("rabbit-ack-timer").unstarted(r));
    factory.newConnection("parley-bench-probe").close(); // fail here if the broker is not there
  }

  /** The RabbitMQ node on this machine (an Erlang VM running the rabbit application), or -1. */
  private static long localServerPid() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/beam.smp")).orElse(false))
        .filter(p -> commandLine(p.pid()).contains("rabbit"))
        .mapToLong(ProcessHandle::pid)
        .findFirst()
        .orElse(-1);
  }

  /** The full command line (ProcessHandle.Info cuts long argument lists short). */
  private static String commandLine(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public String system() {
    return "rabbitmq";
  }

  @Override
  public String store() {
    return "quorum";
  }

  @Override
  public void connect(int count, ReceiptSink sink) throws Exception {
    generation++;
    for (int i = 0; i < count; i++) {
      String queue = "parley-bench-" + tag + "-" + generation + "-" + i;
      Connection publisher = factory.newConnection("parley-bench-pub-" + i);
      Connection consumer = factory.newConnection("parley-bench-sub-" + i);
      Pair pair = new Pair(queue, publisher, consumer, sink);
      pairs.add(pair);
      pair.start();
    }
  }

  @Override
  public CompletableFuture<?> send(int pair, Payload payload) {
    return pairs.get(pair).publish(payload.encode());
  }

  @Override
  public void drain(Duration timeout) throws Exception {
    for (Pair pair : pairs) {
      pair.flush();
    }
    // a synchronous command after the acks on the same channel returns once the channel has
    // processed them: the broker has every acknowledgement sent
    for (Pair pair : pairs) {
      pair.syncAcks();
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
    try {
      for (Pair pair : pairs) {
        pair.close();
      }
    } finally {
      pairs.clear();
      problem.set(null);
      disconnecting = false;
    }
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
      System.err.println("! closing the RabbitMQ pairs: " + e);
    }
    timer.shutdownNow();
  }

  /** One quorum queue, its publisher and its consumer. */
  private final class Pair {
    final String queue;
    final Connection publisherConnection;
    final Connection consumerConnection;
    final ReceiptSink sink;
    final AtomicReference<String> problem = new AtomicReference<>();
    final Channel publisher;
    final Channel consumer;
    // unconfirmed publishes by sequence number modulo a power of two at least the window
    private final CompletableFuture<?>[] unconfirmed; // guarded by this
    private final int mask;
    private long confirmedThrough; // guarded by this; sequence numbers start at 1
    private long unackedTag = -1; // guarded by consumer
    private int unackedCount; // guarded by consumer

    Pair(
        String queue,
        Connection publisherConnection,
        Connection consumerConnection,
        ReceiptSink sink)
        throws Exception {
      this.queue = queue;
      this.publisherConnection = publisherConnection;
      this.consumerConnection = consumerConnection;
      this.sink = sink;
      int slots = Integer.highestOneBit(Math.max(1, window - 1)) << 1;
      this.mask = slots - 1;
      this.unconfirmed = new CompletableFuture<?>[slots];
      this.publisher = publisherConnection.createChannel();
      this.consumer = consumerConnection.createChannel();
    }

    void start() throws Exception {
      publisher.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
      publisher.confirmSelect();
      publisher.addConfirmListener(
          (seq, multiple) -> confirmed(seq, multiple, null),
          (seq, multiple) -> confirmed(seq, multiple, "the broker nacked the publish"));
      publisherConnection.addShutdownListener(e -> note("publisher connection: " + e));
      consumerConnection.addShutdownListener(e -> note("consumer connection: " + e));
      consumer.basicQos(PREFETCH);
      consumer.basicConsume(
          queue, false, (consumerTag, delivery) -> onDelivery(delivery), tag -> {});
    }

    private void note(String what) {
      if (!disconnecting) {
        problem.compareAndSet(null, what);
      }
    }

    CompletableFuture<?> publish(byte[] body) {
      CompletableFuture<Void> confirm = new CompletableFuture<>();
      try {
        synchronized (this) {
          long seq = publisher.getNextPublishSeqNo();
          int slot = (int) (seq & mask);
          if (unconfirmed[slot] != null) {
            throw new IllegalStateException("more publishes unconfirmed than the window");
          }
          unconfirmed[slot] = confirm;
        }
        publisher.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body);
      } catch (Exception e) {
        confirm.completeExceptionally(e);
      }
      return confirm;
    }

    /** A confirm covers {@code seq}, or with {@code multiple} every sequence number up to it. */
    private void confirmed(long seq, boolean multiple, String nack) {
      List<CompletableFuture<?>> done = new ArrayList<>();
      synchronized (this) {
        long from = multiple ? confirmedThrough + 1 : seq;
        for (long s = from; s <= seq; s++) {
          int slot = (int) (s & mask);
          if (unconfirmed[slot] != null) {
            done.add(unconfirmed[slot]);
            unconfirmed[slot] = null;
          }
        }
        confirmedThrough = Math.max(confirmedThrough, seq);
      }
      for (CompletableFuture<?> f : done) {
        if (nack == null) {
          f.complete(null);
        } else {
          f.completeExceptionally(new IllegalStateException(nack));
        }
      }
    }

    private void onDelivery(Delivery delivery) {
      long now = System.nanoTime();
      byte[] body = delivery.getBody();
      sink.received(body, 0, body.length, now);
      boolean full;
      boolean first;
      synchronized (consumer) {
        unackedTag = delivery.getEnvelope().getDeliveryTag();
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

    /** Acknowledges every delivery up to the last one received (multiple=true). */
    void flush() {
      synchronized (consumer) {
        if (unackedCount == 0) {
          return;
        }
        try {
          consumer.basicAck(unackedTag, true);
        } catch (Exception e) {
          note("ack failed: " + e);
        }
        unackedCount = 0;
      }
    }

    void syncAcks() throws Exception {
      synchronized (consumer) {
        consumer.queueDeclarePassive(queue);
      }
    }

    void close() throws Exception {
      try {
        consumer.close();
        consumerConnection.close();
      } finally {
        try {
          publisher.queueDelete(queue);
        } finally {
          publisherConnection.close();
        }
      }
    }
  }
}
