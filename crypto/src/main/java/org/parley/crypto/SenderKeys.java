package org.parley.crypto;

import java.util.Objects;
import java.util.UUID;
import org.signal.libsignal.protocol.DuplicateMessageException;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.InvalidVersionException;
import org.signal.libsignal.protocol.LegacyMessageException;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.SenderKeyDistributionMessage;
import org.signal.libsignal.protocol.message.SenderKeyMessage;

/**
 * libsignal's sender keys (docs/spec/groups.md, "Group messages"): each sending device encrypts a
 * group message once under a chain of its own, named by a distribution id it picks, and hands the
 * chain's current key to the other member devices in a distribution message sent over the
 * one-to-one sessions. A chain only moves forward, so a device that receives it reads what is sent
 * from then on, never before; a new distribution id starts a new chain, which is how a sender
 * leaves a removed device behind.
 *
 * <p>Every operation runs under {@link DeviceCrypto}'s lock and in one transaction of its state.
 * libsignal's own exceptions never leave this class: a forged or tampered message is an {@link
 * InvalidCiphertextException}, never the {@link AssertionError} libsignal 0.86.5 throws for a bad
 * signature (docs/research/libsignal-groups.md, section 1.2).
 */
public final class SenderKeys {
  private final DeviceCrypto owner;
  private final LibsignalStore store;
  private final ProtocolState state;

  SenderKeys(DeviceCrypto owner, LibsignalStore store, ProtocolState state) {
    this.owner = owner;
    this.store = store;
    this.state = state;
  }

  /**
   * This device's distribution message for its chain {@code distributionId}, which the first call
   * makes (a random chain id, chain key and signing key, iteration 0). Later calls describe the
   * same chain at its current iteration, so a device given it then reads only later messages.
   *
   * @param self this device's own address
   */
  public byte[] distribution(RemoteAddress self, UUID distributionId) {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(distributionId, "distributionId");
    return owner.locked(
        () ->
            new GroupSessionBuilder(store)
                .create(LibsignalStore.toSignal(self), distributionId)
                .serialize());
  }

  /**
   * Takes another device's chain from its distribution message, which must have come over the
   * authenticated one-to-one session with {@code sender}. A repeat of a chain already held leaves
   * it where it is (it never rewinds).
   *
   * @return the chain's distribution id
   * @throws InvalidCiphertextException if the bytes are not a distribution message
   */
  public UUID process(RemoteAddress sender, byte[] distributionMessage)
      throws InvalidCiphertextException {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(distributionMessage, "distributionMessage");
    SenderKeyDistributionMessage message;
    try {
      message = new SenderKeyDistributionMessage(distributionMessage);
    } catch (InvalidMessageException
        | InvalidVersionException
        | LegacyMessageException
        | InvalidKeyException e) {
      throw new InvalidCiphertextException(
          "invalid sender-key distribution from " + sender + ": " + e.getClass().getSimpleName());
    }
    owner.locked(
        () -> {
          new GroupSessionBuilder(store).process(LibsignalStore.toSignal(sender), message);
          return null;
        });
    return message.getDistributionId();
  }

  /**
   * Encrypts a (padded) group message under this device's chain {@code distributionId}, which
   * {@link #distribution} made.
   *
   * @return a libsignal SenderKeyMessage, the same bytes for every recipient
   * @throws IllegalStateException if this device has no such chain
   */
  public byte[] encrypt(RemoteAddress self, UUID distributionId, byte[] plaintext) {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(distributionId, "distributionId");
    Objects.requireNonNull(plaintext, "plaintext");
    return owner.locked(
        () -> {
          try {
            return new GroupCipher(store, LibsignalStore.toSignal(self))
                .encrypt(distributionId, plaintext)
                .serialize();
          } catch (org.signal.libsignal.protocol.NoSessionException e) {
            throw new IllegalStateException(
                "no sender-key chain " + distributionId + " to send on");
          }
        });
  }

  /**
   * Decrypts a group message from {@code sender}, whose chain this device must hold.
   *
   * @throws DuplicateCiphertextException if its key was used already (a replay)
   * @throws NoSenderKeyException if this device does not hold the chain it names
   * @throws InvalidCiphertextException if it does not parse, is not signed by the chain's key, or
   *     was tampered with
   */
  public byte[] decrypt(RemoteAddress sender, byte[] message)
      throws DuplicateCiphertextException, NoSenderKeyException, InvalidCiphertextException {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(message, "message");
    UUID distributionId = distributionId(message);
    try {
      return owner.transaction(
          () -> {
            if (state.loadSenderKey(sender, distributionId).isEmpty()) {
              throw new NoSenderKeyException(sender, distributionId);
            }
            try {
              return new GroupCipher(store, LibsignalStore.toSignal(sender)).decrypt(message);
            } catch (DuplicateMessageException e) {
              throw new DuplicateCiphertextException(
                  "already decrypted a group message from " + sender, false);
            } catch (org.signal.libsignal.protocol.NoSessionException e) {
              throw new NoSenderKeyException(sender, distributionId); // an unknown chain id
            } catch (InvalidMessageException | LegacyMessageException e) {
              throw new InvalidCiphertextException(
                  "invalid group message from " + sender + ": " + e.getMessage());
            } catch (AssertionError e) {
              // libsignal's wrapper for the InvalidKeyException of a bad signature
              throw new InvalidCiphertextException(
                  "a group message from " + sender + " is not signed by its chain's key");
            }
          });
    } catch (DuplicateCiphertextException | NoSenderKeyException | InvalidCiphertextException e) {
      throw e;
    } catch (SessionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Forgets a chain (one of this device's, or another's) that a rotation replaced. */
  public void forget(RemoteAddress sender, UUID distributionId) {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(distributionId, "distributionId");
    owner.locked(
        () -> {
          state.deleteSenderKey(sender, distributionId);
          return null;
        });
  }

  /**
   * The distribution id a group message names, read before decrypting (so not yet authenticated:
   * only {@link #decrypt} proves the message was made on that chain).
   *
   * @throws InvalidCiphertextException if the bytes are not a SenderKeyMessage
   */
  public static UUID distributionId(byte[] message) throws InvalidCiphertextException {
    try {
      return new SenderKeyMessage(message).getDistributionId();
    } catch (InvalidMessageException | InvalidVersionException | LegacyMessageException e) {
      throw new InvalidCiphertextException("not a group message: " + e.getClass().getSimpleName());
    }
  }

  /**
   * The distribution id a distribution message names.
   *
   * @throws InvalidCiphertextException if the bytes are not a distribution message
   */
  public static UUID distributionIdOfDistribution(byte[] distributionMessage)
      throws InvalidCiphertextException {
    try {
      return new SenderKeyDistributionMessage(distributionMessage).getDistributionId();
    } catch (InvalidMessageException
        | InvalidVersionException
        | LegacyMessageException
        | InvalidKeyException e) {
      throw new InvalidCiphertextException(
          "not a sender-key distribution: " + e.getClass().getSimpleName());
    }
  }
}
