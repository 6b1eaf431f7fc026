package org.parley.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.InMemoryProtocolState;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.GroupRecipient;
import org.parley.protocol.message.GroupSendRequest;
import org.parley.protocol.message.RecipientDevice;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 10's group figures: for groups of 10, 100 and 1,000 members, one group message as the
 * client makes it (a sender-key encryption of a 200-byte padded text and the upload's JSON) and as
 * the server takes it ({@code POST /v1/messages/group}, every envelope committed before the
 * answer): the sender's CPU per message, the bytes uploaded, and the server's fan-out rate in
 * envelopes per second with its CPU per envelope. It asserts nothing.
 */
@Command(
    name = "parley-group-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Uploads group messages to a Parley server (one upload per message) and prints the sender's"
          + " CPU, the upload's size and the server's fan-out rate."
    })
public final class GroupFanOutBench implements Callable<Integer> {
  @Option(
      names = "--members",
      split = ",",
      defaultValue = "10,100,1000",
      description = "Group sizes, one device each (default: ${DEFAULT-VALUE}).")
  List<Integer> members;

  @picocli.CommandLine.Mixin GroupUploads load = new GroupUploads();

  public static void main(String[] args) {
    System.exit(new CommandLine(new GroupFanOutBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    int largest = members.stream().mapToInt(Integer::intValue).max().orElse(0);
    try (GroupUploads.Started started = load.startServer()) {
      ServerProcess server = started.server();
      HttpClient http = HttpClient.newHttpClient();
      log("registering the sender and " + largest + " members");
      ParleyAccount sender = ParleyAccount.register(http, server.base(), handle("sender"));
      List<ParleyAccount> all = register(http, server.base(), largest);
      List<String> rows = new ArrayList<>();
      rows.add(
          String.format(
              "%-8s %10s %12s %14s %16s %14s",
              "members", "upload B", "sender us", "envelopes/s", "server us/env", "uploads"));
      for (int size : members) {
        List<ParleyAccount> group = all.subList(0, size);
        Figures f = run(http, server, sender, group);
        rows.add(
            String.format(
                "%-8d %10d %12.1f %14.0f %16.2f %14d",
                size,
                f.uploadBytes,
                f.senderMicros,
                f.envelopesPerSecond,
                f.serverMicrosPerEnvelope,
                f.uploads));
      }
      System.out.println();
      System.out.println(
          "Group messages, one upload each ("
              + load.store
              + ", "
              + load.senders
              + " in flight, "
              + load.seconds
              + " s per size, one device per member)");
      rows.forEach(System.out::println);
    }
    return 0;
  }

  private record Figures(
      int uploadBytes,
      double senderMicros,
      double envelopesPerSecond,
      double serverMicrosPerEnvelope,
      long uploads) {}

  private Figures run(
      HttpClient http, ServerProcess server, ParleyAccount sender, List<ParleyAccount> group)
      throws Exception {
    // the client's work for one message: a sender-key encryption, then the upload's JSON
    DeviceCrypto device = DeviceCrypto.initialize(new InMemoryProtocolState());
    RemoteAddress self = new RemoteAddress(AccountId.random(), DeviceId.of(1));
    UUID chain = UUID.randomUUID();
    device.senderKeys().distribution(self, chain);
    byte[] padded = new byte[256]; // a 200-byte text in its padding bucket (docs/spec/crypto.md)
    List<GroupRecipient> recipients =
        group.stream()
            .map(
                a ->
                    new GroupRecipient(
                        a.credentials().accountId(),
                        List.of(
                            new RecipientDevice(a.credentials().deviceId(), a.registrationId())),
                        List.of()))
            .toList();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int reps = 2_000;
    byte[] body = null;
    long cpu0 = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < reps; i++) {
      byte[] ciphertext = device.senderKeys().encrypt(self, chain, padded);
      body =
          Json.write(
              new GroupSendRequest(
                  recipients,
                  EnvelopeType.SENDER_KEY_MESSAGE,
                  ciphertext,
                  System.currentTimeMillis()));
    }
    double senderMicros = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / reps;
    byte[] upload = body;

    // the server's fan-out: uploads in flight for the time given, each answered after its commits
    URI uri = server.base().resolve("/v1/messages/group");
    AtomicLong envelopes = new AtomicLong();
    AtomicLong uploads = new AtomicLong();
    load.runFor(
        http,
        uri,
        upload,
        java.util.Optional.of(sender.authorization()),
        Duration.ofSeconds(2),
        envelopes,
        uploads); // warm-up
    envelopes.set(0);
    uploads.set(0);
    long serverCpu0 = server.cpuNanos().orElse(0);
    long t0 = System.nanoTime();
    load.runFor(
        http,
        uri,
        upload,
        java.util.Optional.of(sender.authorization()),
        Duration.ofSeconds(load.seconds),
        envelopes,
        uploads);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long serverCpu = server.cpuNanos().orElse(0) - serverCpu0;
    return new Figures(
        upload.length,
        senderMicros,
        envelopes.get() / elapsed,
        envelopes.get() == 0 ? 0 : serverCpu / 1e3 / envelopes.get(),
        uploads.get());
  }

  private static List<ParleyAccount> register(HttpClient http, URI base, int n) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<ParleyAccount>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Handle h = handle("m" + i);
        futures.add(pool.submit(() -> ParleyAccount.register(http, base, h)));
      }
      List<ParleyAccount> out = new ArrayList<>();
      for (Future<ParleyAccount> f : futures) {
        out.add(f.get());
      }
      return out;
    }
  }

  private static Handle handle(String name) {
    return Handle.of(
        name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + ServerProcess.DOMAIN);
  }

  private static void log(String s) {
    System.err.println("group-bench: " + s);
  }
}
