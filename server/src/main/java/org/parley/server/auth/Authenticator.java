package org.parley.server.auth;

import io.javalin.http.Context;
import java.util.Optional;
import org.parley.protocol.account.Credentials;
import org.parley.server.account.AccountStore;
import org.parley.server.device.Device;
import org.parley.server.device.DeviceStore;
import org.parley.server.device.PasswordHash;
import org.parley.server.http.Errors;

/**
 * Checks {@code Authorization: Basic} device credentials against storage on every request. Nothing
 * is cached, so a removed device's credential fails on its next request.
 */
public final class Authenticator {
  /** Compared against when the device does not exist, so both failures take the same time. */
  private static final PasswordHash DUMMY = PasswordHash.of("parley-dummy-password-for-timing");

  private final AccountStore accounts;
  private final DeviceStore devices;

  public Authenticator(AccountStore accounts, DeviceStore devices) {
    this.accounts = accounts;
    this.devices = devices;
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
    Optional<Device> device = devices.device(credentials.accountId(), credentials.deviceId());
    PasswordHash expected = device.map(Device::credential).orElse(DUMMY);
    if (!expected.matches(credentials.password()) || device.isEmpty()) {
      return Optional.empty();
    }
    return accounts
        .byId(credentials.accountId())
        .map(account -> new AuthenticatedDevice(account, device.get()));
  }
}
