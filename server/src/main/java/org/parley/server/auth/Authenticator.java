package org.parley.server.auth;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.account.Credentials;
import org.parley.server.account.AccountStore;
import org.parley.server.delivery.DeliveryBus;
import org.parley.server.delivery.DeliveryEvent;
import org.parley.server.device.Device;
import org.parley.server.device.DeviceStore;
import org.parley.server.device.PasswordHash;
import org.parley.server.http.Errors;

/**
 * Checks {@code Authorization: Basic} device credentials. The device and account a credential names
 * are read from storage once and then kept in memory until the account's devices change: a device's
 * credential, keys and registration id never change while it exists, and every removal or link is a
 * delivery event on every node ({@link DeliveryEvent.DeviceRemoved}, {@link
 * DeliveryEvent.DevicesChanged}), which drops the account's entries, so a removed device's
 * credential still fails on its next request. The password is checked against the kept hash on
 * every request.
 */
public final class Authenticator {
  /** Beyond this many devices the cache starts over: a bound, not a policy worth tuning. */
  static final int MAX_CACHED = 100_000;

  private record Key(AccountId accountId, DeviceId deviceId) {}

  /** Compared against when the device does not exist, so both failures take the same time. */
  private static final PasswordHash DUMMY = PasswordHash.of("parley-dummy-password-for-timing");

  private final AccountStore accounts;
  private final DeviceStore devices;
  private final ConcurrentHashMap<Key, AuthenticatedDevice> cache = new ConcurrentHashMap<>();
  private final AtomicLong invalidations = new AtomicLong();

  public Authenticator(AccountStore accounts, DeviceStore devices, DeliveryBus bus) {
    this.accounts = accounts;
    this.devices = devices;
    // Subscribed before any request is served: no entry can be read before its invalidation is
    // heard. (A future change of an account's handle must publish an event that lands here too.)
    bus.subscribe(this::invalidate);
  }

  private void invalidate(DeliveryEvent event) {
    if (event instanceof DeliveryEvent.DeviceRemoved
        || event instanceof DeliveryEvent.DevicesChanged) {
      invalidations.incrementAndGet(); // before the removal: see authenticate
    }
    switch (event) {
      case DeliveryEvent.DeviceRemoved e -> cache.remove(new Key(e.accountId(), e.deviceId()));
      case DeliveryEvent.DevicesChanged e ->
          cache.keySet().removeIf(k -> k.accountId().equals(e.accountId()));
      default -> {}
    }
  }

  /** The authenticated device, or 401 unauthorized. */
  public AuthenticatedDevice require(Context ctx) {
    return authenticate(ctx.header("Authorization")).orElseThrow(Errors::unauthorized);
  }

  public Optional<AuthenticatedDevice> authenticate(String authorization) {
    Credentials credentials;
    try {
      credentials = Credentials.parseAuthorization(authorization);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    Key key = new Key(credentials.accountId(), credentials.deviceId());
    AuthenticatedDevice cached = cache.get(key);
    if (cached != null) {
      return cached.device().credential().matches(credentials.password())
          ? Optional.of(cached)
          : Optional.empty();
    }
    long seen = invalidations.get();
    Optional<Device> device = devices.device(credentials.accountId(), credentials.deviceId());
    PasswordHash expected = device.map(Device::credential).orElse(DUMMY);
    if (!expected.matches(credentials.password()) || device.isEmpty()) {
      return Optional.empty();
    }
    Optional<AuthenticatedDevice> found =
        accounts
            .byId(credentials.accountId())
            .map(account -> new AuthenticatedDevice(account, device.get()));
    found.ifPresent(
        d -> {
          if (cache.size() >= MAX_CACHED) {
            cache.clear();
          }
          cache.put(key, d);
          // A removal that committed after our read and was heard before our put would leave a
          // removed device cached: any invalidation since the read drops what we put (one that
          // comes after this check removes it itself).
          if (invalidations.get() != seen) {
            cache.remove(key, d);
          }
        });
    return found;
  }
}
