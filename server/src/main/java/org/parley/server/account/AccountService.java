package org.parley.server.account;

import java.time.Clock;
import java.util.function.Consumer;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.Signatures;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.account.HandleLookup;
import org.parley.protocol.account.RegisterRequest;
import org.parley.protocol.account.RegisterResponse;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.device.Device;
import org.parley.server.device.DeviceStore;
import org.parley.server.device.NewDevice;
import org.parley.server.device.PasswordHash;
import org.parley.server.prekey.KeyVerifier;

/** Registration, the device directory and handle look-ups. */
public final class AccountService {
  private final String domain;
  private final AccountStore accounts;
  private final DeviceStore devices;
  private final Clock clock;
  private final Consumer<AccountId> ktChanged;

  /**
   * @param ktChanged told of each account whose device list a committed change queued for the
   *     key-transparency log (it proves the new versions ahead of the epoch)
   */
  public AccountService(
      String domain,
      AccountStore accounts,
      DeviceStore devices,
      Clock clock,
      Consumer<AccountId> ktChanged) {
    this.domain = domain;
    this.accounts = accounts;
    this.devices = devices;
    this.clock = clock;
    this.ktChanged = ktChanged;
  }

  /**
   * Creates the account under the id the client proposed: device 1 signed its approval of its own
   * key over that id before the account existed (docs/spec/api.md, RegisterRequest).
   */
  public RegisterResponse register(RegisterRequest request) {
    requireOwnDomain(request.handle());
    IdentityPublicKey identity = KeyVerifier.verify(request.keys());
    if (!Signatures.verifyDeviceApproval(
        identity, request.accountId(), request.keys().identityKey(), request.ktApproval())) {
      throw new ProtocolException(
          ErrorCode.INVALID_APPROVAL,
          "ktApproval is not the identity key's signature over the device approval statement of"
              + " this account id and key");
    }
    long now = clock.millis();
    Account account = new Account(request.accountId(), request.handle(), now);
    NewDevice device =
        new NewDevice(
            request.deviceName(), PasswordHash.of(request.password()), request.keys(), now);
    try {
      accounts.create(account, device, request.ktApproval());
    } catch (HandleTakenException e) {
      throw new ProtocolException(
          ErrorCode.HANDLE_TAKEN, "the handle " + request.handle() + " is taken");
    } catch (AccountIdTakenException e) {
      throw new ProtocolException(
          ErrorCode.ACCOUNT_ID_TAKEN,
          "the account id " + request.accountId() + " is taken; pick another");
    }
    ktChanged.accept(account.id());
    return new RegisterResponse(account.id(), account.handle(), DeviceId.of(1));
  }

  /** The device list; names only when the caller belongs to the same account. */
  public DeviceList devices(AuthenticatedDevice caller, AccountId accountId) {
    Account account =
        accounts
            .byId(accountId)
            .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_ACCOUNT, "no such account"));
    boolean own = caller.accountId().equals(accountId);
    var infos = devices.devices(accountId).stream().map(d -> info(d, own)).toList();
    return new DeviceList(account.id(), account.handle(), infos);
  }

  public HandleLookup lookup(Handle handle) {
    requireOwnDomain(handle);
    Account account =
        accounts
            .byHandle(handle)
            .orElseThrow(
                () ->
                    new ProtocolException(ErrorCode.UNKNOWN_HANDLE, "no account has this handle"));
    return new HandleLookup(account.handle(), account.id());
  }

  private void requireOwnDomain(Handle handle) {
    if (!handle.domain().equals(domain)) {
      throw new ProtocolException(
          ErrorCode.INVALID_HANDLE, "handles on this server end in @" + domain);
    }
  }

  private static DeviceInfo info(Device d, boolean withName) {
    return new DeviceInfo(
        d.id(), withName ? d.name() : null, d.registrationId(), d.identityKey(), d.createdAt());
  }
}
