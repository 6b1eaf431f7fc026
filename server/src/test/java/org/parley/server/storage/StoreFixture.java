package org.parley.server.storage;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.keys.KyberPreKey;
import org.parley.protocol.keys.PreKey;
import org.parley.protocol.keys.SignedPreKey;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkStatus;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.server.account.Account;
import org.parley.server.device.DeviceApproval;
import org.parley.server.device.NewDevice;
import org.parley.server.device.PasswordHash;
import org.parley.server.link.LinkApproval;
import org.parley.server.link.PendingLink;

/**
 * Real-shaped data for the storage contracts: keys of the right lengths filled with random bytes
 * (signatures are the HTTP layer's business, not the store's), unique handles per call.
 */
public final class StoreFixture {
  private static final SecureRandom RANDOM = new SecureRandom();

  private StoreFixture() {}

  public static byte[] bytes(int length) {
    byte[] b = new byte[length];
    RANDOM.nextBytes(b);
    return b;
  }

  public static Handle uniqueHandle() {
    return Handle.of(
        "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + "@parley.test");
  }

  public static Account account(long createdAt) {
    return new Account(AccountId.random(), uniqueHandle(), createdAt);
  }

  public static SignedPreKey signedPreKey(int id) {
    return new SignedPreKey(id, ecKey(), bytes(64));
  }

  public static PreKey preKey(int id) {
    return new PreKey(id, ecKey());
  }

  public static KyberPreKey kyberPreKey(int id) {
    byte[] key = bytes(KyberPreKey.PUBLIC_KEY_LENGTH);
    key[0] = 0x08;
    return new KyberPreKey(id, key, bytes(64));
  }

  private static byte[] ecKey() {
    byte[] key = bytes(33);
    key[0] = 0x05;
    return key;
  }

  public static List<PreKey> preKeys(int firstId, int count) {
    List<PreKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(preKey(firstId + i));
    }
    return keys;
  }

  public static List<KyberPreKey> kyberPreKeys(int firstId, int count) {
    List<KyberPreKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(kyberPreKey(firstId + i));
    }
    return keys;
  }

  public static DeviceKeys deviceKeys(
      int registrationId, List<PreKey> preKeys, List<KyberPreKey> kyber) {
    byte[] identity = ecKey();
    return new DeviceKeys(
        registrationId, identity, signedPreKey(1), kyberPreKey(0xFFFFFF), preKeys, kyber);
  }

  public static DeviceKeys deviceKeys(int registrationId) {
    return deviceKeys(registrationId, preKeys(1, 3), kyberPreKeys(1, 3));
  }

  public static NewDevice newDevice(String name, String password, DeviceKeys keys, long createdAt) {
    return new NewDevice(name, PasswordHash.of(password), keys, createdAt);
  }

  public static NewDevice newDevice(String name, int registrationId) {
    return newDevice(
        name, "password-of-" + name + "-0123456789", deviceKeys(registrationId), 1_000L);
  }

  /** An approval by device {@code approver}; the store keeps signatures without checking them. */
  public static DeviceApproval approval(int approver) {
    return new DeviceApproval(org.parley.protocol.kt.LinkSerial.of(approver), bytes(64));
  }

  /** A link approval by device {@code approver} whose identity key is {@code approverKey}. */
  public static LinkApproval linkApproval(int approver, byte[] approverKey) {
    return new LinkApproval(DeviceId.of(approver), approverKey, bytes(64), bytes(64));
  }

  public static PendingLink pendingLink(NewDevice device, long expiresAt) {
    return new PendingLink(
        LinkCode.random(), device, expiresAt, LinkStatus.State.PENDING, null, null, null);
  }

  public static Envelope envelope(Account from, DeviceId fromDevice, String text) {
    return new Envelope(
        UUID.randomUUID().toString(),
        from.id(),
        from.handle(),
        fromDevice,
        EnvelopeType.MESSAGE,
        1_700_000_000_000L,
        1_700_000_000_500L,
        text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
