package org.parley.client;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.store.DeviceRecord;
import org.parley.client.store.DeviceRecordStore;
import org.parley.client.transport.ServerApi;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.InvalidKeyMaterialException;
import org.parley.crypto.Signatures;
import org.parley.crypto.WireKeys;
import org.parley.protocol.AccountId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.account.DeviceName;
import org.parley.protocol.account.RegisterRequest;
import org.parley.protocol.account.RegisterResponse;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.link.ApprovalStatement;
import org.parley.protocol.link.ApproveLinkRequest;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkCreated;
import org.parley.protocol.link.LinkInfo;
import org.parley.protocol.link.LinkRequest;
import org.parley.protocol.link.LinkStatus;

/**
 * How a device joins an account (docs/spec/linking.md): registering a new account, asking to be
 * linked and waiting for approval, and, on an existing device, checking and approving (or
 * rejecting) another device's request. Keys generated for a registration or link request are kept
 * only if the server accepts it.
 */
final class DeviceSetup {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DeviceDatabase db;
  private final DeviceCrypto crypto;
  private final DeviceRecordStore records;
  private final OnDemandHttpClient http;

  DeviceSetup(
      DeviceDatabase db, DeviceCrypto crypto, DeviceRecordStore records, OnDemandHttpClient http) {
    this.db = db;
    this.crypto = crypto;
    this.records = records;
    this.http = http;
  }

  // ---- a new account

  /**
   * Registers {@code handle} with this device as device 1; stores the result. The account id is
   * ours to propose (a random UUID), so that this device can approve its own key for the account
   * before the account exists; a taken id (never, short of a broken random source or a lying
   * server) is retried with a fresh one.
   */
  void register(URI server, String handle, String deviceName) {
    String name = checkDeviceName(deviceName);
    requireFresh();
    ServerAddress address = ServerAddress.parse(server);
    ServerApi api = new ServerApi(address.base(), http.get(), null);
    // a log named out of band is checked before anything is sent
    address.logHash().ifPresent(hash -> KeyTransparency.pinFromHash(api, db, hash));
    Handle wanted = parseHandle(handle, () -> api.server().domain());
    String password = newPassword();
    db.inTransaction(
        () -> {
          DeviceKeys keys = PreKeys.initialKeys(crypto);
          RegisterResponse created = null;
          for (int attempt = 1; created == null; attempt++) {
            RegisterRequest request = WireKeys.registration(crypto, wanted, password, name, keys);
            try {
              created = api.register(request);
            } catch (ServerException e) {
              if (e.code() != ErrorCode.ACCOUNT_ID_TAKEN || attempt == 3) {
                throw e;
              }
              continue;
            }
            if (!created.accountId().equals(request.accountId())
                || created.deviceId().value() != 1
                || !created.handle().equals(wanted)) {
              // our approval of our own key names the id we proposed: any other would not verify
              throw new ClientException(
                  "the server registered "
                      + created.handle()
                      + " as account "
                      + created.accountId()
                      + " device "
                      + created.deviceId()
                      + ", not "
                      + wanted
                      + " as the proposed "
                      + request.accountId()
                      + " device 1");
            }
          }
          records.save(
              new DeviceRecord.Active(
                  api.base(),
                  name,
                  password,
                  created.accountId(),
                  created.handle(),
                  created.deviceId()));
          return null;
        });
  }

  // ---- linking, new device side

  /** Publishes this device's keys in a link request; stores it as pending. */
  PendingLink startLink(URI server, String deviceName) {
    String name = checkDeviceName(deviceName);
    if (records.load().orElse(null) instanceof DeviceRecord.Active active) {
      throw alreadySetUp(active);
    }
    ServerAddress address = ServerAddress.parse(server);
    ServerApi api = new ServerApi(address.base(), http.get(), null);
    address.logHash().ifPresent(hash -> KeyTransparency.pinFromHash(api, db, hash));
    String password = newPassword();
    return db.inTransaction(
        () -> {
          LinkCreated created =
              api.createLink(new LinkRequest(password, name, PreKeys.initialKeys(crypto)));
          records.save(
              new DeviceRecord.Linking(
                  api.base(),
                  name,
                  password,
                  created.code(),
                  Instant.ofEpochMilli(created.expiresAt())));
          return pendingLink(created.code(), Instant.ofEpochMilli(created.expiresAt()));
        });
  }

  /** The stored link request, if one waits. */
  Optional<PendingLink> pendingLink() {
    return records
        .load()
        .filter(DeviceRecord.Linking.class::isInstance)
        .map(DeviceRecord.Linking.class::cast)
        .map(l -> pendingLink(l.linkCode(), l.linkExpiresAt()));
  }

  /**
   * Polls the pending request about once a second until it is decided. Once a device of some
   * account approved it, checks the approver's signature over the account, the code and this
   * device's key, and asks {@code consent}: only then does this device accept and become a device
   * of that account; a refusal declines, and the account never gets it. A rejected, declined or
   * expired request is forgotten, so the profile can start over.
   *
   * @return the approver's identity key, for the check of the log once joined; empty if an earlier
   *     run accepted already
   */
  Optional<byte[]> awaitLink(LinkConsent consent) {
    if (!(records.load().orElse(null) instanceof DeviceRecord.Linking pending)) {
      throw new ClientException(
          "this profile has no link request waiting. Start one with parley link");
    }
    ServerApi api = new ServerApi(pending.server(), http.get(), null);
    LinkCode code = pending.linkCode();
    while (true) {
      LinkStatus status;
      try {
        status = api.linkStatus(code, pending.password());
      } catch (ServerException e) {
        throw forgotten(e, code);
      }
      switch (status.state()) {
        case APPROVED -> {
          LinkOffer offer = offer(code, status);
          Optional<String> refusal = consent.refusal(offer);
          if (refusal.isPresent()) {
            decline(api, code, pending.password());
            throw new ClientException(
                refusal.get()
                    + ". This device declined the link, so "
                    + offer.handle().value()
                    + " did not get it as a device; to join another account,"
                    + " start again with parley link");
          }
          LinkStatus linked;
          try {
            linked = api.acceptLink(code, pending.password());
          } catch (ServerException e) {
            if (e.code() == ErrorCode.TOO_MANY_DEVICES) {
              decline(api, code, pending.password());
              throw new ClientException(
                  offer.handle().value()
                      + " already has 127 devices, as"
                      + " many as an account can have: remove one on a device of that account (parley"
                      + " devices remove ID), then start again here with parley link",
                  e);
            }
            throw forgotten(e, code);
          }
          activate(pending, linked);
          return Optional.of(offer.approverKey());
        }
        case LINKED -> {
          activate(pending, status); // accepted by an earlier run whose answer was lost
          return Optional.empty();
        }
        case REJECTED -> {
          records.delete();
          throw new ClientException(
              "the link request "
                  + code
                  + " was rejected. If that was a mistake, start again with"
                  + " parley link");
        }
        case DECLINED -> {
          records.delete();
          throw new ClientException(
              "the link request "
                  + code
                  + " was declined on this device. Start again with"
                  + " parley link");
        }
        case EXPIRED -> {
          records.delete();
          throw new ClientException(
              "the link request "
                  + code
                  + " expired before it was approved. Start again with"
                  + " parley link");
        }
        case PENDING -> sleep(Duration.ofSeconds(1));
      }
    }
  }

  /**
   * The account that approved, as the approver signed it; refused (and declined) if the signature
   * does not verify under the key the server gives for the approver.
   */
  private LinkOffer offer(LinkCode code, LinkStatus status) {
    var approver = status.approver();
    IdentityPublicKey key = null;
    if (approver != null
        && approver.identityKey() != null
        && approver.signature() != null
        && status.accountId() != null
        && status.handle() != null
        && approver.deviceId() != null) {
      try {
        key = IdentityPublicKey.parse(approver.identityKey());
      } catch (InvalidKeyMaterialException e) {
        key = null;
      }
    }
    byte[] statement =
        key == null
            ? null
            : ApprovalStatement.bytes(
                status.accountId(), status.handle(), code, crypto.identityKey().bytes());
    if (key == null || !Signatures.verify(key, statement, approver.signature())) {
      DeviceRecord pending = records.load().orElseThrow();
      decline(new ServerApi(pending.server(), http.get(), null), code, pending.password());
      throw new UntrustedIdentityException(
          "the server says link "
              + code
              + " was approved, but"
              + " the approval it shows is not a device's signature over this device's key and the"
              + " account: the server may be lying. This device declined it; start again with parley"
              + " link");
    }
    return new LinkOffer(
        status.accountId(),
        status.handle(),
        approver.deviceId(),
        key.bytes(),
        Fingerprints.of(key.bytes()));
  }

  private void decline(ServerApi api, LinkCode code, String password) {
    records.delete();
    try {
      api.declineLink(code, password);
    } catch (ServerException e) {
      // closed or gone already: it can no longer be accepted either way
    }
  }

  private void activate(DeviceRecord.Linking pending, LinkStatus linked) {
    records.save(
        new DeviceRecord.Active(
            pending.server(),
            pending.deviceName(),
            pending.password(),
            linked.accountId(),
            linked.handle(),
            linked.deviceId()));
  }

  private ClientException forgotten(ServerException e, LinkCode code) {
    if (e.code() == ErrorCode.UNKNOWN_LINK || e.code() == ErrorCode.LINK_CLOSED) {
      records.delete();
      return new ClientException(
          (e.code() == ErrorCode.UNKNOWN_LINK
                  ? "the server no longer knows link request " + code
                  : "link request " + code + " can no longer be accepted: " + e.getMessage())
              + ". Start again with parley link",
          e);
    }
    return e;
  }

  // ---- linking, approving side

  /** What the server says about a request; refuses if a URI's fingerprint does not match. */
  LinkRequestInfo linkInfo(ServerApi api, String codeOrUri) {
    LinkReference ref = LinkReference.parse(codeOrUri);
    LinkInfo info = api.linkInfo(ref.code());
    String fingerprint = Fingerprints.of(info.identityKey());
    if (ref.fingerprint() != null && !Fingerprints.matches(fingerprint, ref.fingerprint())) {
      throw new UntrustedIdentityException(
          "the key the server gives for link "
              + ref.code()
              + " does not match the link URI: the server may have swapped it. Do not approve;"
              + " start the link again on the new device");
    }
    return new LinkRequestInfo(
        info.code(),
        info.deviceName(),
        info.registrationId(),
        info.identityKey(),
        fingerprint,
        ref.fingerprint() != null,
        Instant.ofEpochMilli(info.expiresAt()));
  }

  /**
   * Signs the approval statements for the request (the link's, which names this account and its
   * handle for the new device to check, and the key-transparency device approval the server
   * publishes with the new device) and sends them. The new device is added once it accepts; this
   * device learns it from the account's device list, which its own log monitoring checks.
   */
  void approveLink(ServerApi api, AccountId account, Handle handle, String codeOrUri) {
    LinkRequestInfo info = linkInfo(api, codeOrUri);
    IdentityPublicKey newKey;
    try {
      newKey = IdentityPublicKey.parse(info.identityKey());
    } catch (InvalidKeyMaterialException e) {
      throw new UntrustedIdentityException(
          "the server gives link "
              + info.code()
              + " a key that is not an identity key. Do not approve");
    }
    byte[] signature =
        crypto.sign(ApprovalStatement.bytes(account, handle, info.code(), info.identityKey()));
    byte[] ktApproval = crypto.approveDevice(account, newKey);
    api.approveLink(info.code(), new ApproveLinkRequest(signature, ktApproval));
  }

  void rejectLink(ServerApi api, String codeOrUri) {
    api.rejectLink(LinkReference.parse(codeOrUri).code());
  }

  // ---- helpers

  private PendingLink pendingLink(LinkCode code, Instant expiresAt) {
    String fingerprint = Fingerprints.of(crypto.identityKey().bytes());
    return new PendingLink(code, LinkReference.uri(code, fingerprint), fingerprint, expiresAt);
  }

  private void requireFresh() {
    switch (records.load().orElse(null)) {
      case null -> {}
      case DeviceRecord.Active active -> throw alreadySetUp(active);
      case DeviceRecord.Linking linking ->
          throw new ClientException(
              "this profile is waiting for link request "
                  + linking.linkCode()
                  + " to be approved. Use another --profile to register a new account");
    }
  }

  private static ClientException alreadySetUp(DeviceRecord.Active r) {
    return new ClientException(
        "this profile is already device "
            + r.deviceId()
            + " of "
            + r.handle()
            + ". Use another --profile for another device");
  }

  private static String checkDeviceName(String name) {
    try {
      return DeviceName.check(name);
    } catch (IllegalArgumentException e) {
      throw new ClientException("a device name is 1-64 characters without control characters");
    }
  }

  /** Parses a handle; a bare name takes the domain {@code defaultDomain} supplies. */
  static Handle parseHandle(String text, Supplier<String> defaultDomain) {
    java.util.Objects.requireNonNull(text, "handle");
    String full = text.contains("@") ? text : text + "@" + defaultDomain.get();
    try {
      return Handle.of(full);
    } catch (IllegalArgumentException e) {
      throw new ClientException(e.getMessage());
    }
  }

  /** A device password: 32 random bytes, base64url (43 characters). */
  private static String newPassword() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Json.base64Url(bytes);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while waiting for approval", e);
    }
  }
}
