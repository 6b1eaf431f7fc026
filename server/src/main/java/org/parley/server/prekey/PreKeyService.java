package org.parley.server.prekey;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.keys.PreKeyBundles;
import org.parley.protocol.keys.UploadKeysRequest;
import org.parley.server.account.Account;
import org.parley.server.account.AccountStore;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.delivery.DeliveryBus;
import org.parley.server.delivery.DeliveryEvent;
import org.parley.server.device.Device;
import org.parley.server.device.DeviceStore;
import org.parley.server.http.ApiException;
import org.parley.server.http.Errors;
import org.parley.server.http.RateLimiter;
import org.parley.server.http.RateLimits;

/**
 * Prekey upload, counts and bundle fetches. Fetches are rate-limited per (caller, target) and per
 * caller; the one-time keys they hand out have budgets of their own, per (caller, target device)
 * and per target device, beyond which a bundle carries none: a session still starts (from the
 * signed and last-resort keys), and nobody can drain a device's one-time keys.
 */
public final class PreKeyService {
  private final AccountStore accounts;
  private final DeviceStore devices;
  private final PreKeyStore preKeys;
  private final DeliveryBus bus;
  private final RateLimiter fetchesPerPair;
  private final RateLimiter fetchesPerCaller;
  private final RateLimiter oneTimePerPair;
  private final RateLimiter oneTimePerDevice;

  public PreKeyService(
      AccountStore accounts,
      DeviceStore devices,
      PreKeyStore preKeys,
      DeliveryBus bus,
      RateLimits limits,
      Clock clock) {
    this.accounts = accounts;
    this.devices = devices;
    this.preKeys = preKeys;
    this.bus = bus;
    this.fetchesPerPair = new RateLimiter(limits.keyFetchesPerPairPerHour(), clock);
    this.fetchesPerCaller = new RateLimiter(limits.keyFetchesPerCallerPerHour(), clock);
    this.oneTimePerPair = new RateLimiter(limits.oneTimeKeysPerPairPerHour(), clock);
    this.oneTimePerDevice = new RateLimiter(limits.oneTimeKeysPerDevicePerHour(), clock);
  }

  public void upload(AuthenticatedDevice caller, UploadKeysRequest request) {
    KeyVerifier.verify(
        KeyVerifier.identityKey(caller.device().identityKey()),
        request.signedPreKey(),
        request.lastResortKyberPreKey(),
        request.preKeys(),
        request.kyberPreKeys());
    boolean stored =
        preKeys.update(
            caller.accountId(),
            caller.deviceId(),
            request.signedPreKey(),
            request.lastResortKyberPreKey(),
            request.preKeys(),
            request.kyberPreKeys());
    if (!stored) {
      throw Errors.unauthorized(); // removed while this request ran
    }
  }

  public KeyCounts counts(AuthenticatedDevice caller) {
    return preKeys.counts(caller.accountId(), caller.deviceId());
  }

  /** Takes the bundle of one device, or of every device when {@code deviceId} is null. */
  public PreKeyBundles fetch(AuthenticatedDevice caller, AccountId target, DeviceId deviceId) {
    fetchesPerPair.acquire(caller.accountId() + ">" + target);
    fetchesPerCaller.acquire(caller.accountId().value());
    Account account =
        accounts
            .byId(target)
            .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_ACCOUNT, "no such account"));
    List<DeviceId> ids =
        deviceId != null
            ? List.of(deviceId)
            : devices.devices(target).stream().map(Device::id).toList();
    List<DeviceBundle> bundles = new ArrayList<>();
    for (DeviceId id : ids) {
      Optional<DeviceBundle> bundle =
          preKeys.takeBundle(target, id, mayTakeOneTimeKeys(caller, target, id));
      bundle.ifPresent(bundles::add);
      if (bundle.isPresent()) {
        KeyCounts left = preKeys.counts(target, id);
        if (left.low()) {
          bus.publish(new DeliveryEvent.KeysLow(target, id, left.preKeys(), left.kyberPreKeys()));
        }
      }
    }
    if (bundles.isEmpty()) {
      throw new ProtocolException(ErrorCode.UNKNOWN_DEVICE, "no such device");
    }
    return new PreKeyBundles(account.id(), account.handle(), bundles);
  }

  /**
   * The bundles {@link #fetch} would hand out for every device of {@code target}, for a device list
   * that asked for them ({@code ?bundles=all}): the same fetch, under the same fetch limits and
   * one-time-key budgets; empty (nothing taken) where a fetch limit refuses it, so that the client
   * fetches them itself and gets the {@code 429} with its {@code Retry-After}.
   */
  public Optional<List<DeviceBundle>> bundled(AuthenticatedDevice caller, AccountId target) {
    try {
      return Optional.of(fetch(caller, target, null).devices());
    } catch (ApiException e) {
      if (e.code() != ErrorCode.RATE_LIMITED) {
        throw e;
      }
      return Optional.empty();
    }
  }

  /**
   * The caller's own budget first: a caller over it spends nothing of the device's, so no single
   * account can use up what the device has for everybody.
   */
  private boolean mayTakeOneTimeKeys(
      AuthenticatedDevice caller, AccountId target, DeviceId device) {
    String targetDevice = target + "." + device;
    return oneTimePerPair.tryAcquire(caller.accountId() + ">" + targetDevice)
        && oneTimePerDevice.tryAcquire(targetDevice);
  }
}
