package org.parley.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.keys.KyberPreKey;
import org.parley.protocol.keys.PreKey;
import org.parley.protocol.keys.SignedPreKey;
import org.parley.server.account.Account;
import org.parley.server.device.NewDevice;
import org.parley.server.device.PasswordHash;
import org.parley.server.kt.KtService;
import org.parley.server.kt.KtSettings;
import org.parley.server.kt.OperatorHook;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The server's own key-transparency epoch with its real store (docs/benchmarks.md, "Key
 * transparency", "The server's epoch"): registers {@code --accounts} accounts through the store
 * (each queued for the log in its registration's transaction, as the server does), lets the
 * server's background prover make and keep their early proofs, then has the server's publisher
 * ({@link KtService#publish}) publish them in one epoch, and prints where the epoch's time went.
 * Each round registers fresh accounts, so the log grows by {@code 2 * --accounts} label versions a
 * round. Prints numbers; asserts only that every account was published. Beside the elapsed parts it
 * prints the JVM's CPU time during the epoch, which the shared machine's load disturbs less.
 */
@Command(
    name = "parley-kt-store-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Times the server's key-transparency epoch publisher on a real store.")
public final class KtStoreEpochBench implements Callable<Integer> {
  @Option(
      names = "--store",
      defaultValue = "sqlite",
      description = "sqlite or postgres (default: ${DEFAULT-VALUE}).")
  String storeName;

  @Option(
      names = "--accounts",
      defaultValue = "10000",
      description = "Accounts registered and published per round (default: ${DEFAULT-VALUE}).")
  int accounts;

  @Option(
      names = "--rounds",
      defaultValue = "4",
      description = "Epochs timed, after one untimed warm-up epoch (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--postgres-url",
      defaultValue = "jdbc:postgresql://127.0.0.1:5432/postgres",
      description = "PostgreSQL to create a throwaway schema in (default: ${DEFAULT-VALUE}).")
  String postgresUrl;

  @Option(names = "--postgres-user", defaultValue = "postgres")
  String postgresUser;

  @Option(names = "--postgres-password", defaultValue = "")
  String postgresPassword;

  private final SecureRandom random = new SecureRandom();

  public static void main(String[] args) {
    System.exit(new CommandLine(new KtStoreEpochBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Path dir = Files.createTempDirectory("parley-kt-store-bench");
    PostgresSchema schema = null;
    try {
      Map<String, String> settings;
      if (storeName.equals("postgres")) {
        schema = PostgresSchema.create(postgresUrl, postgresUser, postgresPassword);
        settings = schema.storeSettings();
      } else if (storeName.equals("sqlite")) {
        settings = Map.of("path", dir.resolve("parley.db").toString());
      } else {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--store is sqlite or postgres");
      }
      out.printf(
          Locale.ROOT,
          "# server KT epoch on %s: %d accounts per epoch, %d rounds; %s, %d cores, JDK %s,"
              + " load %s at start%n",
          storeName,
          accounts,
          rounds,
          Instant.now(),
          Runtime.getRuntime().availableProcessors(),
          Runtime.version(),
          loadAverage());
      try (Store store = StoreProvider.named(storeName).open(settings)) {
        KtService kt =
            KtService.open(dir, store, Clock.systemUTC(), KtSettings.defaults(), OperatorHook.NONE);
        kt.publish(); // the first, empty entry
        out.printf(
            Locale.ROOT,
            "%-6s %8s %8s %7s %8s %8s %8s %8s %8s %8s %9s %9s %9s%n",
            "round",
            "accounts",
            "versions",
            "entries",
            "read ms",
            "plan ms",
            "prep ms",
            "stage ms",
            "store ms",
            "commit ms",
            "total ms",
            "cpu ms",
            "log size");
        for (int round = 0; round <= rounds; round++) {
          List<AccountId> ids = register(store);
          for (AccountId id : ids) {
            kt.changed(id);
          }
          awaitEarlyProofs(store, 2 * accounts);
          long before = kt.provenAtPublish();
          long cpu = processCpuNanos();
          kt.publish();
          cpu = processCpuNanos() - cpu;
          KtService.EpochFigures f = kt.lastEpoch().orElseThrow();
          if (f.accounts() != accounts || !store.kt().pending(1).isEmpty()) {
            throw new IllegalStateException("the epoch did not publish every account: " + f);
          }
          out.printf(
              Locale.ROOT,
              "%-6s %8d %8d %7d %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %9.1f %9.1f %9d%s%n",
              round == 0 ? "warm" : Integer.toString(round),
              f.accounts(),
              f.versions(),
              f.entries(),
              ms(f.readNanos()),
              ms(f.planNanos()),
              ms(f.prepareNanos()),
              ms(f.stageNanos()),
              ms(f.storeNanos()),
              ms(f.commitNanos()),
              ms(f.totalNanos()),
              ms(cpu),
              kt.size(),
              kt.provenAtPublish() == before
                  ? ""
                  : "  (" + (kt.provenAtPublish() - before) + " proven at publish)");
        }
      }
      out.printf(Locale.ROOT, "# load %s at end%n", loadAverage());
      return 0;
    } finally {
      if (schema != null) {
        schema.close();
      }
      deleteTree(dir);
    }
  }

  /** Registers fresh accounts, each with one self-approved device, as the server stores them. */
  private List<AccountId> register(Store store) throws Exception {
    List<AccountId> ids = new ArrayList<>(accounts);
    for (int i = 0; i < accounts; i++) {
      AccountId id = AccountId.random();
      Handle handle = Handle.of("b" + id.value().replace("-", "").substring(0, 20) + "@bench.test");
      DeviceKeys keys =
          new DeviceKeys(
              1 + i % 16000,
              key(),
              new SignedPreKey(1, key(), bytes(64)),
              kyber(0xFFFFFF),
              List.of(new PreKey(1, key())),
              List.of(kyber(1)));
      store
          .accounts()
          .create(
              new Account(id, handle, System.currentTimeMillis()),
              new NewDevice("bench", PasswordHash.of("password-" + i), keys, 1_000L),
              bytes(64));
      ids.add(id);
    }
    return ids;
  }

  /** Waits (polling: this is a bench) until the background prover has kept every early proof. */
  private static void awaitEarlyProofs(Store store, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (store.kt().earlyProofs(Integer.MAX_VALUE).size() < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the early proofs did not arrive within 10 minutes");
      }
      Thread.sleep(200);
    }
  }

  private byte[] key() {
    byte[] k = bytes(33);
    k[0] = 0x05;
    return k;
  }

  private KyberPreKey kyber(int id) {
    byte[] k = bytes(KyberPreKey.PUBLIC_KEY_LENGTH);
    k[0] = 0x08;
    return new KyberPreKey(id, k, bytes(64));
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * This JVM's CPU time, all threads: around {@code publish} that is the publisher's and the SQLite
   * writer's (the prover pool is idle by then); PostgreSQL's own backends are not in it.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static String loadAverage() {
    return String.format(
        Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
