package org.parley.server.message;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.message.Envelope;

/** The durable per-device queues of envelopes awaiting acknowledgement. */
public interface MessageQueue {
  /**
   * In one transaction: checks that {@code envelopes} address exactly the recipient account's
   * current devices (minus {@code excludedDevice}, the sender's own device when it sends to its own
   * account, or null, and minus the {@code withheld} devices the sender refuses to encrypt to) with
   * matching registration ids, one envelope per device, and if so stores every envelope. Returns
   * only after the commit.
   *
   * @throws IllegalArgumentException if two envelopes address one device
   */
  default EnqueueResult enqueue(
      AccountId recipient,
      DeviceId excludedDevice,
      Set<DeviceId> withheld,
      List<AddressedEnvelope> envelopes) {
    try {
      return enqueueAsync(recipient, excludedDevice, withheld, envelopes).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * {@link #enqueue(AccountId, DeviceId, Set, List)} without waiting: the future completes once the
   * send is committed (or refused), possibly together with other sends in one transaction.
   *
   * @throws IllegalArgumentException at once if two envelopes address one device
   */
  java.util.concurrent.CompletableFuture<EnqueueResult> enqueueAsync(
      AccountId recipient,
      DeviceId excludedDevice,
      Set<DeviceId> withheld,
      List<AddressedEnvelope> envelopes);

  /** {@link #enqueue(AccountId, DeviceId, Set, List)} with nothing withheld. */
  default EnqueueResult enqueue(
      AccountId recipient, DeviceId excludedDevice, List<AddressedEnvelope> envelopes) {
    return enqueue(recipient, excludedDevice, Set.of(), envelopes);
  }

  /**
   * Stores one envelope in one device's queue, without the check that a send addresses all of the
   * account's devices: only the test-only misbehaving operator (test code, through {@link
   * org.parley.server.kt.OperatorHook}) forges a single envelope this way (docs/spec/api.md,
   * "Test-only endpoints"). Returns only after the commit; empty, storing nothing, if the device
   * does not exist.
   */
  Optional<StoredEnvelope> enqueueTo(AccountId recipient, DeviceId deviceId, Envelope envelope);

  /** Up to {@code limit} envelopes queued for the device with seq greater than {@code afterSeq}. */
  List<StoredEnvelope> pending(AccountId accountId, DeviceId deviceId, long afterSeq, int limit);

  /**
   * Deletes the given envelopes from the device's queue, all or nothing.
   *
   * @return false, deleting nothing, if any id is not queued for this device
   */
  boolean acknowledge(AccountId accountId, DeviceId deviceId, List<String> envelopeIds);

  int count(AccountId accountId, DeviceId deviceId);
}
