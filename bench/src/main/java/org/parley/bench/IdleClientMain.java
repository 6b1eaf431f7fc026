package org.parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client child of {@link IdleConnectionsBench}: holds one {@link IdleSocket} per authorization it
 * is given, from one loopback source address, because one process may hold at most 20,000 open
 * files here. Its parent talks to it over its standard streams.
 *
 * <p>Arguments: {@code SERVER-HOST SERVER-PORT LOCAL-ADDRESS CONCURRENT-OPENS}. Standard input: one
 * {@code Authorization} header value per line, then an empty line; then commands, one per line:
 * {@code report} (answered with one line {@code arrivals T...}, the {@link System#nanoTime} at
 * which each socket's first envelope arrived, 0 for none: CLOCK_MONOTONIC on Linux, the same clock
 * in every process) and {@code exit}. Standard output: a {@code status} line whenever a count
 * changed (at most every 200 ms), a {@code problem} line for the first problem.
 */
public final class IdleClientMain {
  private final AtomicLong ready = new AtomicLong();
  private final AtomicLong ended = new AtomicLong();
  private final AtomicLong arrived = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong problems = new AtomicLong();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();
  private final AtomicLongArray arrivals;
  private final PrintStream out = System.out;

  private IdleClientMain(int sockets) {
    this.arrivals = new AtomicLongArray(sockets);
  }

  public static void main(String[] args) throws Exception {
    InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    InetAddress local = InetAddress.getByName(args[2]);
    int concurrent = Integer.parseInt(args[3]);
    BufferedReader stdin =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    List<String> authorizations = new ArrayList<>();
    for (String line = stdin.readLine(); line != null && !line.isEmpty(); line = stdin.readLine()) {
      authorizations.add(line);
    }
    IdleClientMain child = new IdleClientMain(authorizations.size());
    Thread.ofPlatform().daemon().name("status").start(child::reportStatus);
    child.open(server, local, authorizations, concurrent);
    child.commands(stdin);
  }

  /** Opens every socket, at most {@code concurrent} upgrades at a time. */
  private void open(
      InetSocketAddress server, InetAddress local, List<String> authorizations, int concurrent)
      throws InterruptedException {
    Semaphore opening = new Semaphore(concurrent);
    for (int i = 0; i < authorizations.size(); i++) {
      opening.acquire();
      Thread.ofVirtual()
          .start(new IdleSocket(local, server, authorizations.get(i), events(i, opening))::run);
    }
  }

  private IdleSocket.Events events(int index, Semaphore opening) {
    return new IdleSocket.Events() {
      private boolean released;

      @Override
      public void ready() {
        ready.incrementAndGet();
        release();
      }

      @Override
      public void arrived(long nanos, int count) {
        arrivals.compareAndSet(index, 0, nanos);
        arrived.addAndGet(count);
      }

      @Override
      public void acked(int count) {
        acked.addAndGet(count);
      }

      @Override
      public void problem(String what) {
        problems.incrementAndGet();
        firstProblem.compareAndSet(null, what);
      }

      @Override
      public void ended() {
        ended.incrementAndGet();
        release();
      }

      private void release() {
        if (!released) {
          released = true;
          opening.release();
        }
      }
    };
  }

  private void commands(BufferedReader stdin) throws IOException {
    for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
      if (line.equals("report")) {
        StringBuilder report = new StringBuilder("arrivals");
        for (int i = 0; i < arrivals.length(); i++) {
          report.append(' ').append(arrivals.get(i));
        }
        synchronized (out) {
          out.println(report);
          out.flush();
        }
      } else if (line.equals("exit")) {
        break;
      }
    }
    synchronized (out) {
      out.println(status());
      out.flush();
    }
    System.exit(0); // the sockets close with the process
  }

  private String status() {
    return "status ready="
        + ready.get()
        + " ended="
        + ended.get()
        + " arrived="
        + arrived.get()
        + " acked="
        + acked.get()
        + " problems="
        + problems.get();
  }

  private void reportStatus() {
    String last = "";
    boolean problemShown = false;
    while (true) {
      String now = status();
      synchronized (out) {
        if (!problemShown && firstProblem.get() != null) {
          problemShown = true;
          out.println("problem " + firstProblem.get().replace('\n', ' '));
        }
        if (!now.equals(last)) {
          out.println(now);
          last = now;
        }
        out.flush();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
