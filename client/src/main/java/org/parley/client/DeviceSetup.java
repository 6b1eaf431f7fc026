package org.parley.client;

import org.parley.client.kt.KeyTransparency;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.store.DeviceRecord;
import org.parley.client.store.DeviceRecordStore;
import org.parley.client.transport.ServerApi;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.InvalidKeyMaterialException;
import org.parley.crypto.WireKeys;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.account.DeviceList;
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
  private final HttpClient http;

  DeviceSetup(DeviceDatabase db, DeviceCrypto crypto, DeviceRecordStore records, HttpClient http) {
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
    ServerApi api = new ServerApi(address.base(), http, null);
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
            if (!created.accountId().equals(request.accountId()) || created.deviceId().value() != 1
                || !created.handle().equals(wanted)) {
              // our approval of our own key names the id we proposed: any other would not verify
              throw new ClientException(
                  "the server registered " + created.handle() + " as account "
                      + created.accountId() + " device " + created.deviceId() + ", not "
                      + wanted + " as the proposed " + request.accountId() + " device 1");
            }
          }
          records.save(
              new DeviceRecord(
                  DeviceRecord.State.ACTIVE,
                  api.base().toString(),
                  name,
                  password,
                  created.accountId().value(),
                  created.handle().value(),
                  created.deviceId().value(),
                  null,
                  null));
          return null;
        });
  }

  // ---- linking, new device side

  /** Publishes this device's keys in a link request; stores it as pending. */
  PendingLink startLink(URI server, String deviceName) {
    String name = checkDeviceName(deviceName);
    Optional<DeviceRecord> existing = records.load();
    if (existing.isPresent() && existing.get().state() == DeviceRecord.State.ACTIVE) {
      throw alreadySetUp(existing.get());
    }
    ServerAddress address = ServerAddress.parse(server);
    ServerApi api = new ServerApi(address.base(), http, null);
    address.logHash().ifPresent(hash -> KeyTransparency.pinFromHash(api, db, hash));
    String password = newPassword();
    return db.inTransaction(
        () -> {
          LinkCreated created =
              api.createLink(new LinkRequest(password, name, PreKeys.initialKeys(crypto)));
          records.save(
              new DeviceRecord(
                  DeviceRecord.State.LINKING,
                  api.base().toString(),
                  name,
                  password,
                  null,
                  null,
                  null,
                  created.code().value(),
                  created.expiresAt()));
          return pendingLink(created.code(), created.expiresAt());
        });
  }

  /** The stored link request, if one waits. */
  Optional<PendingLink> pendingLink() {
    return records
        .load()
        .filter(r -> r.state() == DeviceRecord.State.LINKING)
        .map(r -> pendingLink(LinkCode.of(r.linkCode()), r.linkExpiresAt()));
  }

  /**
   * Polls the pending request about once a second until it is decided; stores the account once
   * approved. A rejected or expired request is forgotten, so the profile can start over.
   */
  void awaitLink() {
    DeviceRecord pending =
        records
            .load()
            .filter(r -> r.state() == DeviceRecord.State.LINKING)
            .orElseThrow(
                () ->
                    new ClientException(
                        "this profile has no link request waiting. Start one with parley link"));
    ServerApi api = new ServerApi(URI.create(pending.serverUrl()), http, null);
    LinkCode code = LinkCode.of(pending.linkCode());
    while (true) {
      LinkStatus status;
      try {
        status = api.linkStatus(code, pending.password());
      } catch (ServerException e) {
        if (e.code() == ErrorCode.UNKNOWN_LINK) {
          records.delete();
          throw new ClientException(
              "the server no longer knows link request " + code + ". Start again with parley link", e);
        }
        throw e;
      }
      switch (status.state()) {
        case APPROVED -> {
          records.save(
              new DeviceRecord(
                  DeviceRecord.State.ACTIVE,
                  pending.serverUrl(),
                  pending.deviceName(),
                  pending.password(),
                  status.accountId().value(),
                  status.handle().value(),
                  status.deviceId().value(),
                  null,
                  null));
          return;
        }
        case REJECTED -> {
          records.delete();
          throw new ClientException(
              "the link request " + code + " was rejected. If that was a mistake, start again with"
                  + " parley link");
        }
        case EXPIRED -> {
          records.delete();
          throw new ClientException(
              "the link request " + code + " expired before it was approved. Start again with"
                  + " parley link");
        }
        case PENDING -> sleep(Duration.ofSeconds(1));
      }
    }
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
   * Signs the approval statements for the request (the link's, and the key-transparency device
   * approval the server publishes with the new device) and sends them; then checks that the
   * account lists the new device with exactly the approved key, and trusts it.
   */
  DeviceId approveLink(ServerApi api, AccountId account, Directory directory, String codeOrUri) {
    LinkRequestInfo info = linkInfo(api, codeOrUri);
    IdentityPublicKey newKey;
    try {
      newKey = IdentityPublicKey.parse(info.identityKey());
    } catch (InvalidKeyMaterialException e) {
      throw new UntrustedIdentityException(
          "the server gives link " + info.code() + " a key that is not an identity key. Do not approve");
    }
    byte[] signature = crypto.sign(ApprovalStatement.bytes(account, info.code(), info.identityKey()));
    byte[] ktApproval = crypto.approveDevice(account, newKey);
    LinkStatus status =
        api.approveLink(info.code(), new ApproveLinkRequest(signature, ktApproval));
    DeviceList list = api.me();
    boolean listed =
        list.devices().stream()
            .anyMatch(
                d ->
                    d.deviceId().equals(status.deviceId())
                        && java.security.MessageDigest.isEqual(d.identityKey(), info.identityKey()));
    if (!listed) {
      throw new UntrustedIdentityException(
          "the server lists device "
              + status.deviceId()
              + " with a different key than the one approved. Remove it with parley devices remove "
              + status.deviceId());
    }
    directory.apply(list);
    return status.deviceId();
  }

  void rejectLink(ServerApi api, String codeOrUri) {
    api.rejectLink(LinkReference.parse(codeOrUri).code());
  }

  // ---- helpers

  private PendingLink pendingLink(LinkCode code, Long expiresAt) {
    String fingerprint = Fingerprints.of(crypto.identityKey().bytes());
    return new PendingLink(
        code,
        LinkReference.uri(code, fingerprint),
        fingerprint,
        Instant.ofEpochMilli(expiresAt == null ? 0 : expiresAt));
  }

  private void requireFresh() {
    Optional<DeviceRecord> existing = records.load();
    if (existing.isPresent()) {
      if (existing.get().state() == DeviceRecord.State.ACTIVE) {
        throw alreadySetUp(existing.get());
      }
      throw new ClientException(
          "this profile is waiting for link request "
              + existing.get().linkCode()
              + " to be approved. Use another --profile to register a new account");
    }
  }

  private static ClientException alreadySetUp(DeviceRecord r) {
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
