package org.parley.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.InMemoryProtocolState;
import org.parley.crypto.PreKeyBundle;
import org.parley.crypto.RemoteAddress;
import org.parley.crypto.SealedSender;
import org.parley.crypto.SenderCertificates;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.sealed.DeliveryCredential;
import org.parley.protocol.sealed.SealedGroupRecipient;
import org.parley.protocol.sealed.SealedGroupSendRequest;
import org.signal.libsignal.metadata.SealedSessionCipher;
import org.signal.libsignal.metadata.certificate.SenderCertificate;
import org.signal.libsignal.metadata.protocol.UnidentifiedSenderMessageContent;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.impl.InMemorySignalProtocolStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 10's sealed group figures (docs/benchmarks.md, "Groups"): the sender's CPU per sealed group
 * message, Parley's whole path (the sender-key encryption, the multi-recipient sealing with the
 * sessions read from the device's state, and the upload's JSON) beside libsignal's bare {@code
 * GroupCipher.encrypt} plus {@code multiRecipientEncrypt} over the same recipient devices with the
 * sessions already in memory, measured in the same run as the process's CPU (libsignal seals on
 * several threads); the bytes uploaded; and the server's fan-out of the sealed upload in envelopes
 * per second, committed before the answer. It asserts nothing.
 */
@Command(
    name = "parley-sealed-group-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Seals group messages for 10, 100 and 1,000 members (and 1,000 members with two devices"
          + " each), prints the sender's CPU beside libsignal's bare cost, then uploads them to a"
          + " Parley server and prints its fan-out rate."
    })
public final class SealedGroupBench implements Callable<Integer> {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Option(
      names = "--members",
      split = ",",
      defaultValue = "10,100,1000",
      description =
          "Group sizes (default: ${DEFAULT-VALUE}); the largest is also run with two"
              + " devices per member for the sender's CPU.")
  List<Integer> members;

  @picocli.CommandLine.Mixin GroupUploads load = new GroupUploads();

  public static void main(String[] args) {
    System.exit(new CommandLine(new SealedGroupBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> rows = new ArrayList<>();
    rows.add(
        String.format(
            "%-8s %8s %12s %12s %12s %8s",
            "members", "devices", "parley us", "libsignal us", "payload B", "ratio"));
    int largest = members.stream().mapToInt(Integer::intValue).max().orElse(0);
    for (int size : members) {
      rows.add(senderRow(size, 1));
    }
    rows.add(senderRow(largest, 2));
    System.out.println();
    System.out.println(
        "Sealed group messages, the sender's CPU per message (process CPU, 2 cores; a 256-byte"
            + " padded text)");
    rows.forEach(System.out::println);
    fanOut();
    return 0;
  }

  /** One member device as the sender sees it: its address, key and crypto. */
  private record Member(RemoteAddress address, DeviceCrypto crypto) {}

  private static List<Member> devices(int members, int perMember) {
    List<Member> out = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      AccountId account = AccountId.random();
      for (int d = 1; d <= perMember; d++) {
        out.add(
            new Member(
                new RemoteAddress(account, DeviceId.of(d)),
                DeviceCrypto.initialize(new InMemoryProtocolState())));
      }
    }
    return out;
  }

  /** A session from the sender to each member device, from bundles the members make here. */
  private static void sessions(DeviceCrypto sender, List<Member> members) throws Exception {
    for (Member m : members) {
      PreKeyBundle bundle =
          new PreKeyBundle(
              m.address(),
              m.crypto().registrationId(),
              m.crypto().identityKey(),
              m.crypto().newSignedPreKey(),
              null,
              m.crypto().newLastResortKyberPreKey());
      sender.trustIdentity(m.address(), m.crypto().identityKey());
      sender.startSession(bundle);
    }
  }

  private String senderRow(int size, int perMember) throws Exception {
    log("sealing for " + size + " members with " + perMember + " device(s) each");
    InMemoryProtocolState state = new InMemoryProtocolState();
    DeviceCrypto sender = DeviceCrypto.initialize(state);
    RemoteAddress self = new RemoteAddress(AccountId.random(), DeviceId.of(1));
    List<Member> group = devices(size, perMember);
    sessions(sender, group);
    SenderCertificates server =
        new SenderCertificates(
            SenderCertificates.newPrivateKey(), SenderCertificates.newPrivateKey());
    byte[] certificate =
        server.issue(
            self.accountId(),
            self.deviceId(),
            Handle.of("sender@" + ServerProcess.DOMAIN),
            sender.identityKey(),
            System.currentTimeMillis() + 86_400_000);
    UUID chain = UUID.randomUUID();
    sender.senderKeys().distribution(self, chain);
    byte[] padded = new byte[256];
    byte[] groupId = new byte[32];
    List<SealedSender.Recipient> recipients =
        group.stream()
            .map(m -> new SealedSender.Recipient(m.address(), m.crypto().identityKey()))
            .toList();
    byte[] credential = new byte[DeliveryCredential.LENGTH];
    List<SealedGroupRecipient> named =
        group.stream()
            .map(
                m ->
                    new SealedGroupRecipient(
                        m.address().accountId(), m.address().deviceId(), credential))
            .toList();
    int reps = Math.max(5, 20_000 / group.size());
    byte[][] last = new byte[2][];
    double parley =
        cpuMicros(
            reps,
            () -> {
              byte[] ciphertext = sender.senderKeys().encrypt(self, chain, padded);
              byte[] payload =
                  sender
                      .sealedSender()
                      .sealForGroup(self, recipients, certificate, ciphertext, groupId);
              last[0] = payload;
              last[1] =
                  Json.write(
                      new SealedGroupSendRequest(named, payload, System.currentTimeMillis()));
            });

    // the same work with libsignal alone: its own load.store, the sessions already deserialized
    IdentityKeyPair pair =
        new IdentityKeyPair(state.loadLocalIdentity().orElseThrow().serializedKeyPair());
    InMemorySignalProtocolStore bare =
        new InMemorySignalProtocolStore(pair, sender.registrationId());
    SignalProtocolAddress me = new SignalProtocolAddress(self.accountId().value(), 1);
    UUID bareChain = UUID.randomUUID();
    new GroupSessionBuilder(bare).create(me, bareChain);
    List<SignalProtocolAddress> addresses = new ArrayList<>();
    List<SessionRecord> records = new ArrayList<>();
    for (Member m : group) {
      SignalProtocolAddress a =
          new SignalProtocolAddress(
              SealedSender.deliveryServiceId(m.crypto().identityKey()).toString(),
              m.address().deviceId().value());
      bare.saveIdentity(a, new IdentityKey(m.crypto().identityKey().bytes()));
      addresses.add(a);
      records.add(new SessionRecord(state.loadSession(m.address()).orElseThrow()));
    }
    SenderCertificate parsed = new SenderCertificate(certificate);
    SealedSessionCipher cipher =
        new SealedSessionCipher(bare, UUID.fromString(self.accountId().value()), null, 1);
    double libsignal =
        cpuMicros(
            reps,
            () -> {
              CiphertextMessage message = new GroupCipher(bare, me).encrypt(bareChain, padded);
              cipher.multiRecipientEncrypt(
                  addresses,
                  records,
                  new UnidentifiedSenderMessageContent(
                      message,
                      parsed,
                      UnidentifiedSenderMessageContent.CONTENT_HINT_DEFAULT,
                      Optional.of(groupId)));
            });
    return String.format(
        "%-8d %8d %12.0f %12.0f %12d %8.2f  (upload %d B of JSON)",
        size, group.size(), parley, libsignal, last[0].length, parley / libsignal, last[1].length);
  }

  private interface Work {
    void run() throws Exception;
  }

  /** The process's CPU per repetition, in microseconds, after a warm-up of a fifth as many. */
  private static double cpuMicros(int reps, Work work) throws Exception {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int i = 0; i < Math.max(2, reps / 5); i++) {
      work.run();
    }
    long cpu0 = os.getProcessCpuTime();
    for (int i = 0; i < reps; i++) {
      work.run();
    }
    return (os.getProcessCpuTime() - cpu0) / 1e3 / reps;
  }

  private void fanOut() throws Exception {
    int largest = members.stream().mapToInt(Integer::intValue).max().orElse(0);
    try (GroupUploads.Started started = load.startServer()) {
      ServerProcess server = started.server();
      HttpClient http = HttpClient.newHttpClient();
      log("registering " + largest + " members, each with a delivery credential");
      List<Registered> all = register(http, server.base(), largest);
      DeviceCrypto sender = DeviceCrypto.initialize(new InMemoryProtocolState());
      RemoteAddress self = new RemoteAddress(AccountId.random(), DeviceId.of(1));
      SenderCertificates certificates =
          new SenderCertificates(
              SenderCertificates.newPrivateKey(), SenderCertificates.newPrivateKey());
      byte[] certificate =
          certificates.issue(
              self.accountId(),
              self.deviceId(),
              Handle.of("sender@" + ServerProcess.DOMAIN),
              sender.identityKey(),
              System.currentTimeMillis() + 86_400_000);
      List<String> rows = new ArrayList<>();
      rows.add(
          String.format(
              "%-8s %10s %14s %16s %10s",
              "members", "upload B", "envelopes/s", "server us/env", "uploads"));
      for (int size : members) {
        List<Registered> group = all.subList(0, size);
        List<Member> devices = group.stream().map(Registered::member).toList();
        sessions(sender, devices.stream().filter(m -> !sender.hasSession(m.address())).toList());
        UUID chain = UUID.randomUUID();
        sender.senderKeys().distribution(self, chain);
        byte[] payload =
            sender
                .sealedSender()
                .sealForGroup(
                    self,
                    devices.stream()
                        .map(m -> new SealedSender.Recipient(m.address(), m.crypto().identityKey()))
                        .toList(),
                    certificate,
                    sender.senderKeys().encrypt(self, chain, new byte[256]),
                    new byte[32]);
        byte[] body =
            Json.write(
                new SealedGroupSendRequest(
                    group.stream()
                        .map(
                            r ->
                                new SealedGroupRecipient(
                                    r.member().address().accountId(),
                                    r.member().address().deviceId(),
                                    r.credential()))
                        .toList(),
                    payload,
                    System.currentTimeMillis()));
        URI uri = server.base().resolve("/v1/messages/group/sealed");
        AtomicLong envelopes = new AtomicLong();
        AtomicLong uploads = new AtomicLong();
        load.runFor(http, uri, body, Optional.empty(), Duration.ofSeconds(2), envelopes, uploads);
        envelopes.set(0);
        uploads.set(0);
        long serverCpu0 = server.cpuNanos().orElse(0);
        long t0 = System.nanoTime();
        load.runFor(
            http,
            uri,
            body,
            Optional.empty(),
            Duration.ofSeconds(load.seconds),
            envelopes,
            uploads);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long serverCpu = server.cpuNanos().orElse(0) - serverCpu0;
        rows.add(
            String.format(
                "%-8d %10d %14.0f %16.2f %10d",
                size,
                body.length,
                envelopes.get() / elapsed,
                envelopes.get() == 0 ? 0 : serverCpu / 1e3 / envelopes.get(),
                uploads.get()));
      }
      System.out.println();
      System.out.println(
          "Sealed group uploads, POST /v1/messages/group/sealed ("
              + load.store
              + ", "
              + load.senders
              + " in flight, "
              + load.seconds
              + " s per size, one device per member)");
      rows.forEach(System.out::println);
    }
  }

  /** A registered member: its device as the sender sees it, and its delivery credential. */
  private record Registered(Member member, byte[] credential) {}

  private static List<Registered> register(HttpClient http, URI base, int n) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<Registered>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Handle h =
            Handle.of(
                "m"
                    + i
                    + "-"
                    + UUID.randomUUID().toString().substring(0, 8)
                    + "@"
                    + ServerProcess.DOMAIN);
        futures.add(
            pool.submit(
                () -> {
                  ParleyAccount a = ParleyAccount.register(http, base, h);
                  byte[] credential = new byte[DeliveryCredential.LENGTH];
                  RANDOM.nextBytes(credential);
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(base.resolve("/v1/devices/me/delivery-credential"))
                              .header("Content-Type", "application/json")
                              .header("Authorization", a.authorization())
                              .PUT(
                                  HttpRequest.BodyPublishers.ofByteArray(
                                      Json.write(new DeliveryCredential(credential))))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 204) {
                    throw new IllegalStateException("credential: " + r.statusCode() + r.body());
                  }
                  return new Registered(
                      new Member(
                          new RemoteAddress(
                              a.credentials().accountId(), a.credentials().deviceId()),
                          a.device()),
                      credential);
                }));
      }
      List<Registered> out = new ArrayList<>();
      for (Future<Registered> f : futures) {
        out.add(f.get());
      }
      return out;
    }
  }

  private static void log(String s) {
    System.err.println("sealed-group-bench: " + s);
  }
}
