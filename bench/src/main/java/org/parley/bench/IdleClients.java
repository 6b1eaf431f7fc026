package org.parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The client children of {@link IdleConnectionsBench} ({@link IdleClientMain}), child {@code c}
 * connecting from 127.0.0.{@code c + 2}; their {@code status} lines summed.
 */
final class IdleClients implements AutoCloseable {
  /** One child's last status line. */
  record Status(long ready, long ended, long arrived, long acked, long problems) {
    static final Status NONE = new Status(0, 0, 0, 0, 0);

    static Status parse(String line) {
      long[] v = new long[5];
      String[] fields = line.substring("status ".length()).split(" ", -1);
      for (int i = 0; i < 5; i++) {
        v[i] = Long.parseLong(fields[i].substring(fields[i].indexOf('=') + 1));
      }
      return new Status(v[0], v[1], v[2], v[3], v[4]);
    }
  }

  private static final class Child {
    final Process process;
    final Writer stdin;
    volatile Status status = Status.NONE;
    volatile CompletableFuture<long[]> report = new CompletableFuture<>();

    Child(Process process) {
      this.process = process;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread.ofPlatform().daemon().name("idle-child-" + process.pid()).start(this::readLines);
    }

    void readLines() {
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("status ")) {
            status = Status.parse(line);
          } else if (line.startsWith("arrivals")) {
            String[] fields = line.split(" ", -1);
            report.complete(
                Arrays.stream(fields, 1, fields.length).mapToLong(Long::parseLong).toArray());
          } else {
            System.err.println("idle client " + process.pid() + ": " + line);
          }
        }
      } catch (IOException e) {
        System.err.println("idle client " + process.pid() + ": " + e);
      }
    }

    void send(String line) throws IOException {
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
    }
  }

  private final List<Child> children = new ArrayList<>();

  /**
   * Starts {@code shares.size()} children; child {@code c} opens a socket for each authorization of
   * {@code shares.get(c)}.
   */
  static IdleClients start(
      URI base, List<List<String>> shares, List<String> jvmOptions, int concurrentOpens)
      throws IOException {
    IdleClients clients = new IdleClients();
    try {
      for (int c = 0; c < shares.size(); c++) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(IdleClientMain.class.getName());
        command.add(base.getHost());
        command.add(Integer.toString(base.getPort()));
        command.add("127.0.0." + (c + 2));
        command.add(Integer.toString(concurrentOpens));
        Process process =
            new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        Child child = new Child(process);
        clients.children.add(child);
        for (String authorization : shares.get(c)) {
          child.send(authorization);
        }
        child.send("");
      }
    } catch (IOException | RuntimeException e) {
      clients.close();
      throw e;
    }
    return clients;
  }

  Status total() {
    long[] sum = new long[5];
    for (Child child : children) {
      Status s = child.status;
      sum[0] += s.ready();
      sum[1] += s.ended();
      sum[2] += s.arrived();
      sum[3] += s.acked();
      sum[4] += s.problems();
    }
    return new Status(sum[0], sum[1], sum[2], sum[3], sum[4]);
  }

  /**
   * Waits until {@code count} of the summed status reaches {@code target}, printing progress; false
   * at the deadline or when sockets ended.
   */
  boolean await(String what, ToLongFunction<Status> count, long target, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastPrinted = 0;
    while (true) {
      Status total = total();
      long n = count.applyAsLong(total);
      if (System.nanoTime() - lastPrinted > 5_000_000_000L || n >= target) {
        System.err.printf("%s: %,d of %,d (%s)%n", what, n, target, total);
        lastPrinted = System.nanoTime();
      }
      if (n >= target) {
        return true;
      }
      if (System.nanoTime() > deadline || total.ended() > 0) {
        System.err.printf("%s: stopped at %,d of %,d (%s)%n", what, n, target, total);
        return false;
      }
      Thread.sleep(20);
    }
  }

  /** Every socket's first arrival ({@link System#nanoTime}; 0: none), all children together. */
  long[] arrivals(Duration timeout) throws Exception {
    List<long[]> parts = new ArrayList<>();
    for (Child child : children) {
      child.report = new CompletableFuture<>();
      child.send("report");
    }
    for (Child child : children) {
      parts.add(child.report.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }
    return parts.stream().flatMapToLong(Arrays::stream).toArray();
  }

  /** The children's process ids, to read their CPU time. */
  List<Long> pids() {
    return children.stream().map(c -> c.process.pid()).toList();
  }

  @Override
  public void close() {
    for (Child child : children) {
      try {
        child.send("exit");
      } catch (IOException gone) {
        // destroyed below
      }
    }
    for (Child child : children) {
      try {
        if (!child.process.waitFor(20, TimeUnit.SECONDS)) {
          child.process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        child.process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
