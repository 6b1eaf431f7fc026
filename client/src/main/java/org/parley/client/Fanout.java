package org.parley.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.parley.client.store.ContactStore.Contact;
import org.parley.client.store.ContactStore.ContactDevice;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.transport.ServerApi;
import org.parley.crypto.Ciphertext;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.IdentityChangedException;
import org.parley.crypto.InvalidKeyMaterialException;
import org.parley.crypto.NoSessionException;
import org.parley.crypto.RemoteAddress;
import org.parley.crypto.WireKeys;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.Handle;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.SendRequest;
import org.parley.protocol.sealed.SealedMessage;
import org.parley.protocol.sealed.SealedSendRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-device fan-out of one plaintext to every current device of one account (docs/spec
 * delivery.md, "Sending, step by step"): sessions from bundles where missing, one ciphertext per
 * device, one request; on {@code 409 stale_devices} the device list is corrected and the whole
 * request is rebuilt, a bounded number of times.
 */
final class Fanout {
  private static final int ATTEMPTS = 4;
  private static final Logger log = LoggerFactory.getLogger(Fanout.class);

  private final ServerApi api;
  private final DeviceCrypto crypto;
  private final Directory directory;
  private final RemoteAddress self;
  private final DeviceDatabase db;
  private final Sealing sealing;

  Fanout(
      ServerApi api,
      DeviceCrypto crypto,
      Directory directory,
      RemoteAddress self,
      DeviceDatabase db,
      Sealing sealing) {
    this.sealing = sealing;
    this.db = db;
    this.api = api;
    this.crypto = crypto;
    this.directory = directory;
    this.self = self;
  }

  /**
   * Pads {@code content} (docs/spec/crypto.md, "Padding"), encrypts it for each device of {@code
   * target} (but this one) and sends it: sealed (docs/spec/sealed-sender.md) to another account
   * whose every device handed this device its delivery credential, else with this device named.
   *
   * @return the device ids it was sent to; empty if the account has no other device
   */
  List<Integer> send(Contact target, byte[] content, long timestamp) {
    return send(target, content, timestamp, false);
  }

  /**
   * As {@link #send(Contact, byte[], long)}; if {@code ephemeral} (a typing indicator), named and
   * to the ephemeral route, which the server pushes to connected devices only and never stores.
   */
  List<Integer> send(Contact target, byte[] content, long timestamp, boolean ephemeral) {
    AccountId account = AccountId.of(target.accountId());
    byte[] plaintext = Padding.pad(content); // the server sees a bucket, not the text's length
    Contact current = target;
    for (int attempt = 1; ; attempt++) {
      List<ContactDevice> devices =
          current.devices().stream()
              .filter(d -> !new RemoteAddress(account, DeviceId.of(d.deviceId())).equals(self))
              .toList();
      if (devices.isEmpty()) {
        return List.of();
      }
      Contact forSessions = current;
      // unsynced: the encryption's commit below carries the session starts to the disk before
      // anything made with them leaves (docs/architecture.md, "One fsync per send")
      db.deferringSync(
          () -> {
            ensureSessions(forSessions, devices);
            return null;
          });
      Map<Integer, byte[]> credentials = ephemeral ? Map.of() : sealable(account, devices);
      Optional<byte[]> certificate =
          credentials.isEmpty() ? Optional.empty() : sealing.certificate();
      List<OutgoingMessage> messages = new ArrayList<>();
      List<SealedMessage> sealed = new ArrayList<>();
      List<Integer> sentTo = new ArrayList<>();
      // every device's session step in one commit, synchronous, before anything leaves: a
      // ciphertext on the network always has its ratchet step (and the stored text before it:
      // Sending) on disk
      db.inTransactionDurable(
          () -> {
            for (ContactDevice d : devices) {
              RemoteAddress to = new RemoteAddress(account, DeviceId.of(d.deviceId()));
              // a device whose bundle could not be had (removed meanwhile) is left out: the
              // server then answers 409 with the current list, and the next attempt uses it
              if (crypto.hasSession(to)
                  && !directory.refusedDevices(account).containsKey(d.deviceId())) {
                try {
                  if (certificate.isPresent()) {
                    sealed.add(
                        new SealedMessage(
                            to.deviceId(),
                            d.registrationId(),
                            credentials.get(d.deviceId()),
                            seal(to, certificate.get(), plaintext)));
                  } else {
                    messages.add(encrypt(to, d, plaintext));
                  }
                  sentTo.add(d.deviceId());
                } catch (UntrustedIdentityException e) {
                  withhold(account, d.deviceId(), e.getMessage());
                }
              }
            }
            return null;
          });
      if (messages.isEmpty() && sealed.isEmpty()) {
        throw new ClientException(
            "could not start a session with any device of "
                + current.handle()
                + ". Try again later");
      }
      try {
        // devices the log does not prove, or whose checks failed, are withheld on purpose: the
        // server must not refuse the send for missing them (docs/spec/api.md)
        List<DeviceId> withheld =
            directory.refusedDevices(account).keySet().stream()
                .filter(id -> !sentTo.contains(id))
                .map(DeviceId::of)
                .sorted(java.util.Comparator.comparingInt(DeviceId::value))
                .toList();
        if (ephemeral) {
          api.sendEphemeral(account, new SendRequest(messages, timestamp, withheld));
        } else if (sealed.isEmpty()) {
          api.send(account, new SendRequest(messages, timestamp, withheld));
        } else {
          api.sendSealed(account, new SealedSendRequest(sealed, timestamp), sealing.anonymous());
        }
        return List.copyOf(sentTo);
      } catch (ServerException e) {
        if (e.code() == ErrorCode.DELIVERY_CREDENTIAL_REFUSED && !sealed.isEmpty()) {
          // replaced or revoked by its device: sent unsealed from now on, until it hands a new
          // one; not an attempt of its own, since with the credentials forgotten it cannot recur
          log.info("{} refused a delivery credential; sending unsealed", current.handle());
          sealing.refused(account, sealed.stream().map(SealedMessage::deviceId).toList());
          attempt--;
          continue;
        }
        if (e.code() != ErrorCode.STALE_DEVICES || attempt >= ATTEMPTS) {
          throw e;
        }
        ErrorResponse body = e.body();
        log.debug("stale device list for {}: {}", current.handle(), body);
        Set<Integer> drop = new HashSet<>();
        if (body != null) {
          if (body.extraDevices() != null) {
            drop.addAll(body.extraDevices());
          }
          if (body.staleDevices() != null) {
            drop.addAll(body.staleDevices());
          }
        }
        for (int device : drop) {
          if (device >= 1 && device <= DeviceId.MAX) {
            crypto.deleteSession(new RemoteAddress(account, DeviceId.of(device)));
          }
        }
        current = db.deferringSync(() -> directory.refresh(account));
      }
    }
  }

  /**
   * The delivery credential of each device if this send can go sealed: to another account, none of
   * whose listed devices is withheld (a sealed send names no withheld devices) and every one of
   * which handed this device its credential; else empty.
   */
  private Map<Integer, byte[]> sealable(AccountId account, List<ContactDevice> devices) {
    if (account.equals(self.accountId()) || !directory.refusedDevices(account).isEmpty()) {
      return Map.of();
    }
    List<byte[]> credentials =
        sealing
            .credentials(account, devices.stream().map(d -> DeviceId.of(d.deviceId())).toList())
            .orElse(List.of());
    Map<Integer, byte[]> byDevice = new HashMap<>();
    for (int i = 0; i < credentials.size(); i++) {
      byDevice.put(devices.get(i).deviceId(), credentials.get(i));
    }
    return byDevice;
  }

  private byte[] seal(RemoteAddress to, byte[] certificate, byte[] plaintext) {
    try {
      return crypto.sealedSender().encrypt(self, to, certificate, plaintext);
    } catch (NoSessionException e) {
      throw new ClientException("no session with device " + to + " after fetching its keys", e);
    } catch (IdentityChangedException e) {
      throw new UntrustedIdentityException(
          "the identity key of device " + to.deviceId() + " changed; refusing to encrypt to it");
    }
  }

  private OutgoingMessage encrypt(RemoteAddress to, ContactDevice device, byte[] plaintext) {
    try {
      Ciphertext c = crypto.encrypt(to, plaintext);
      return new OutgoingMessage(
          to.deviceId(), device.registrationId(), EnvelopeTypes.of(c.type()), c.body());
    } catch (NoSessionException e) {
      throw new ClientException("no session with device " + to + " after fetching its keys", e);
    } catch (IdentityChangedException e) {
      throw new UntrustedIdentityException(
          "the identity key of device " + to.deviceId() + " changed; refusing to encrypt to it");
    }
  }

  /** Starts sessions with the devices that have none, from freshly fetched bundles. */
  private void ensureSessions(Contact contact, List<ContactDevice> devices) {
    AccountId account = AccountId.of(contact.accountId());
    List<ContactDevice> missing =
        devices.stream()
            .filter(d -> !crypto.hasSession(new RemoteAddress(account, DeviceId.of(d.deviceId()))))
            .toList();
    if (missing.isEmpty()) {
      return;
    }
    List<DeviceBundle> bundles = new ArrayList<>();
    // the bundles that came with a first contact's device list (Directory#byHandle), if any: the
    // same "*" fetch, checked below as any fetched bundle
    Optional<List<DeviceBundle>> given = directory.takeBundles(account);
    if (missing.size() == devices.size() && given.isPresent()) {
      bundles.addAll(given.get());
    }
    List<ContactDevice> lacking =
        missing.stream()
            .filter(d -> bundles.stream().noneMatch(b -> b.deviceId().value() == d.deviceId()))
            .toList();
    // "*" hands out a one-time key of every device, sessions or not: only for a first contact
    // (docs/spec/delivery.md, step 2); otherwise one fetch per device without a session.
    if (bundles.isEmpty() && missing.size() == devices.size()) {
      bundles.addAll(api.bundles(account).devices());
    } else {
      for (ContactDevice d : lacking) {
        try {
          bundles.addAll(api.bundle(account, DeviceId.of(d.deviceId())).devices());
        } catch (ServerException e) {
          if (e.code() != ErrorCode.UNKNOWN_DEVICE) {
            throw e;
          }
        }
      }
    }
    Handle handle = Handle.of(contact.handle());
    for (ContactDevice d : missing) {
      DeviceBundle bundle =
          bundles.stream()
              .filter(b -> b.deviceId().value() == d.deviceId())
              .findFirst()
              .orElse(null);
      if (bundle == null) {
        continue; // gone since the list was fetched: left out of this attempt
      }
      // A bad bundle leaves only its own device out (withheld), never the whole send: the server
      // chooses bundles, and one must not let it silence a contact.
      try {
        if (!java.security.MessageDigest.isEqual(bundle.identityKey(), d.identityKey())) {
          throw new UntrustedIdentityException(
              "the server gave a prekey bundle for device "
                  + d.deviceId()
                  + " of "
                  + handle
                  + " with another identity key than its device list");
        }
        directory.requireTrusted(account, handle, bundle.deviceId(), bundle.identityKey());
        crypto.startSession(WireKeys.bundle(account, bundle));
      } catch (UntrustedIdentityException e) {
        withhold(account, d.deviceId(), e.getMessage());
      } catch (InvalidKeyMaterialException e) {
        withhold(
            account,
            d.deviceId(),
            "the prekey bundle of device "
                + d.deviceId()
                + " of "
                + handle
                + " is invalid: "
                + e.getMessage());
      } catch (IdentityChangedException e) {
        withhold(
            account,
            d.deviceId(),
            "the prekey bundle of device "
                + d.deviceId()
                + " of "
                + handle
                + " is not under its proven key");
      }
    }
  }

  private void withhold(AccountId account, int device, String why) {
    log.warn("not sending to device {} of {}: {}", device, account, why);
    directory.refuse(account, device, why);
  }
}
