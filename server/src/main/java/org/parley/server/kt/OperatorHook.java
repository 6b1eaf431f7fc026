package org.parley.server.kt;

import io.javalin.Javalin;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.keytrans.prefix.PrefixLeaf;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.protocol.AccountId;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.account.RegisterResponse;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.message.Envelope;
import org.parley.server.delivery.DeliveryBus;
import org.parley.server.storage.Store;

/**
 * The points where a test can make this server act as a compromised operator, so that tests show
 * clients and auditors catch it: every answer and every log entry the honest code made passes
 * through here before it leaves. Production code holds no misbehaviour: {@link #NONE} passes
 * everything through, and the only implementation is test code (server test sources, registered in
 * their {@code META-INF/services}), loaded by {@link #load} only for a server started with the test
 * switch ({@code --kt-test-misbehaviour true}, which {@code ServerConfig.validate} allows only with
 * {@code -Dparley.test=true}). One instance serves one server.
 */
public interface OperatorHook {
  /** The honest server: every answer and entry as the honest code made it. */
  OperatorHook NONE = new OperatorHook() {};

  /** What a hook's own routes may reach: the server's store, bus, clock and log. */
  record Parts(Store store, DeliveryBus bus, Clock clock, KtService kt) {
    public Parts {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(bus, "bus");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(kt, "kt");
    }
  }

  /**
   * What the next log entry holds beyond the label versions the publisher computed: leaves that
   * belong to no version the log records, and search keys to remove.
   */
  record EntryExtras(List<PrefixLeaf> strayLeaves, List<SearchKey> removals) {
    public static final EntryExtras NONE = new EntryExtras(List.of(), List.of());

    public EntryExtras {
      strayLeaves = List.copyOf(strayLeaves);
      removals = List.copyOf(removals);
    }

    public boolean isEmpty() {
      return strayLeaves.isEmpty() && removals.isEmpty();
    }
  }

  /** Adds the hook's own routes, after every honest one; called once at start. */
  default void install(Javalin app, Parts parts) {}

  /** The answer to GET /v1/accounts/{accountId}/devices. */
  default DeviceList directory(DeviceList honest) {
    return honest;
  }

  /** The answer to GET /v1/accounts/me. */
  default DeviceList ownDevices(DeviceList honest) {
    return honest;
  }

  /** The answer to a registration. */
  default RegisterResponse registered(RegisterResponse honest) {
    return honest;
  }

  /**
   * The sender certificate GET /v1/certificate/sender gives the calling device of {@code account}.
   */
  default byte[] senderCertificate(AccountId account, byte[] honest) {
    return honest;
  }

  /** An envelope as it is delivered, fetched or pushed. */
  default Envelope delivered(Envelope honest) {
    return honest;
  }

  /** The answer to a key-transparency search, computed by the honest responder from {@code log}. */
  default SearchResponse searched(
      SearchRequest request, SearchResponse honest, TransparencyLog log) {
    return honest;
  }

  /** The device list the publisher puts in the log for {@code account}. */
  default DeviceListValue published(AccountId account, DeviceListValue honest) {
    return honest;
  }

  /**
   * What the next entry holds beyond the honest versions; anything but {@link EntryExtras#NONE}
   * makes the publisher append an entry even with nothing pending.
   */
  default EntryExtras nextEntry(TransparencyLog log) {
    return EntryExtras.NONE;
  }

  /** Told after each entry was stored and made visible. */
  default void appended(TransparencyLog.StagedEpoch staged) {}

  /**
   * The hook a server runs: {@link #NONE} unless {@code testSwitch} is on, else the one
   * implementation on the class path of {@code loader}.
   *
   * @throws IllegalArgumentException if the switch is on but the class path has no implementation
   *     (a production build has none) or more than one
   */
  static OperatorHook load(boolean testSwitch, ClassLoader loader) {
    if (!testSwitch) {
      return NONE;
    }
    List<OperatorHook> found =
        ServiceLoader.load(OperatorHook.class, loader).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    if (found.size() != 1) {
      throw new IllegalArgumentException(
          "--kt-test-misbehaviour needs exactly one test "
              + "implementation of "
              + OperatorHook.class.getName()
              + " on the class path; found "
              + found.size()
              + " (a production build has none)");
    }
    return found.getFirst();
  }
}
