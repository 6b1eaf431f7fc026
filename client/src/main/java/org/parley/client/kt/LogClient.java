package org.parley.client.kt;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.parley.client.ClientException;
import org.parley.client.KtAlarm;
import org.parley.client.KtAlarm.Kind;
import org.parley.client.KtAlarmException;
import org.parley.client.ServerException;
import org.parley.client.transport.ServerApi;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.message.MonitorMapEntry;
import org.parley.keytrans.user.TrustedHead;
import org.parley.keytrans.user.UserVerifier;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.kt.AuditorHead;
import org.parley.protocol.kt.KtConfig;

/**
 * What every key-transparency check of this device shares: the pinned configuration and the
 * verifier made from it, the server's epoch, the stored state, and how a check that fails becomes
 * an alarm (a failed proof, a log that denies what it proved, an auditor that signed another log).
 */
final class LogClient {
  final ServerApi api;
  final KtStateStore state;
  final LongSupplier clock;

  /** Bounds on the epoch a server may state: it drives this client's waits (it is not signed). */
  static final long MIN_EPOCH_MILLIS = 50;

  static final long MAX_EPOCH_MILLIS = 60_000;

  private UserVerifier verifier;
  private long epochMillis = 2_000;

  LogClient(ServerApi api, KtStateStore state, LongSupplier clock) {
    this.api = api;
    this.state = state;
    this.clock = clock;
  }

  UserVerifier verifier() {
    if (verifier != null) {
      return verifier;
    }
    KtConfig answer = api.ktConfig();
    byte[] served = answer.configuration();
    Optional<byte[]> pinned = state.pinnedConfiguration();
    if (pinned.isEmpty()) {
      state.pinConfiguration(served);
    } else if (!java.util.Arrays.equals(pinned.get(), served)) {
      throw alarm(
          Kind.CONFIGURATION_CHANGED,
          "log",
          "the server's key-transparency log keys or "
              + "settings changed since this device first saw them; a new log cannot prove what the "
              + "old one said",
          served);
    }
    // The epoch is not part of the signed configuration: the first answer, bounded, is kept, so
    // a server cannot later stall this client's waits or overflow a deadline with it.
    epochMillis = state.pinEpochMillis(boundedEpoch(answer.epochMillis()));
    try {
      verifier = new UserVerifier(Configuration.decode(pinned.orElse(served)));
    } catch (MalformedEncodingException e) {
      throw new ClientException(
          "the server's key-transparency configuration is malformed: " + e.getMessage());
    }
    return verifier;
  }

  static long boundedEpoch(long stated) {
    return Math.clamp(stated, MIN_EPOCH_MILLIS, MAX_EPOCH_MILLIS);
  }

  /** The server's epoch as first learned, bounded: how long a change takes to reach the log. */
  long epochMillis() {
    verifier();
    return epochMillis;
  }

  KtAlarmException alarm(Kind kind, String subject, String message, byte[] evidence) {
    return alarm(kind, subject, Optional.empty(), message, evidence);
  }

  KtAlarmException alarm(
      Kind kind,
      String subject,
      Optional<org.parley.protocol.DeviceId> device,
      String message,
      byte[] evidence) {
    KtAlarm alarm =
        state.raise(
            new KtAlarm(
                0, clock.getAsLong(), kind, subject, device, message, evidence, Optional.empty()));
    return new KtAlarmException(alarm);
  }

  /**
   * If this device requires an auditor: its latest head must be fresh (within the lag of the newest
   * entry this device verified) and must sign this log's root at its size, computed from the
   * retained full subtrees (a head that does not is evidence of a fork).
   */
  void checkAuditor(TrustedHead head) {
    Optional<KtStateStore.RequiredAuditor> required = state.requiredAuditor();
    if (required.isEmpty()) {
      return;
    }
    byte[] key = required.get().publicKey();
    String who = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    AuditorHead signed =
        api.ktAuditorHeads().heads().stream()
            .filter(h -> java.util.Arrays.equals(h.auditorPublicKey(), key))
            .findFirst()
            .orElseThrow(
                () ->
                    new ClientException(
                        "the server publishes no head from the auditor "
                            + who
                            + " that this device requires; not using any key until it does"));
    long newest = head.view().rightmostTimestamp();
    if (signed.treeSize() > head.treeSize()) {
      throw new ClientException(
          "the auditor's head is newer than this device's view of the log;" + " try again");
    }
    if (newest - signed.timestamp() > required.get().maxLagMillis()) {
      throw new ClientException(
          "the auditor "
              + who
              + " last signed the log "
              + (newest - signed.timestamp()) / 1000
              + " s before its newest entry, more than the "
              + required.get().maxLagMillis() / 1000
              + " s allowed; not using any key until it "
              + "catches up");
    }
    HashValue root = head.root();
    if (signed.treeSize() < head.treeSize()) {
      byte[] proof = api.ktAuditorProof(signed.treeSize(), head.treeSize());
      try {
        var scope =
            new org.parley.keytrans.log.ProofScope(
                head.treeSize(), new long[0], head.treeSize(), signed.treeSize());
        var evaluated =
            new org.parley.keytrans.log.LogVerifier(org.parley.keytrans.log.LogTreeHash.SHA256)
                .verify(
                    scope,
                    List.of(),
                    head.view().fullSubtrees(),
                    org.parley.keytrans.log.InclusionProof.decode(
                        proof, HashValue.of(new byte[32]).length()),
                    head.root());
        root = evaluated.auditorRoot().orElseThrow();
      } catch (MalformedEncodingException | org.parley.keytrans.log.InvalidProofException e) {
        throw alarm(
            Kind.INVALID_PROOF,
            "log",
            "the proof of the log's root at the auditor's size "
                + "does not verify: "
                + e.getMessage(),
            proof);
      }
    }
    try {
      org.parley.keytrans.head.AuditorTreeHeads.verifyIndependent(
          new org.parley.keytrans.suite.SignaturePublicKey(key),
          verifier().config(),
          new org.parley.keytrans.head.AuditorTreeHead(
              signed.timestamp(), signed.treeSize(), signed.signature()),
          root);
    } catch (org.parley.keytrans.head.InvalidTreeHeadException e) {
      throw alarm(
          Kind.FORK,
          "log",
          "the auditor "
              + who
              + " signed another log than the one this "
              + "server shows this device (at size "
              + signed.treeSize()
              + "): the log is forked",
          head.encode());
    }
  }

  byte[] query(String path, byte[] request, Label label, String subject) {
    try {
      return api.kt(path, request);
    } catch (ServerException e) {
      if (e.code() == ErrorCode.UNKNOWN_LABEL && !provedBefore(label)) {
        throw new NotPublishedException(subject + " is not in the key-transparency log yet");
      }
      throw denied(e, "answer a search for " + subject);
    }
  }

  /** True if the log proved a version of {@code label} to this device before. */
  private boolean provedBefore(Label label) {
    return state.label(label).filter(st -> st.greatest() >= 0).isPresent();
  }

  /**
   * Refusals an honest log never gives to a request built only from what it proved to this device
   * before: a tree size, label, version, position or start it showed.
   */
  private static final java.util.Set<ErrorCode> DENIALS =
      java.util.EnumSet.of(
          ErrorCode.UNKNOWN_TREE_SIZE,
          ErrorCode.UNKNOWN_LABEL,
          ErrorCode.UNKNOWN_VERSION,
          ErrorCode.INVALID_REQUEST);

  /**
   * A log that denies what it proved to this device before (a tree size it signed a head for, a
   * label or a version it proved, monitoring positions it gave) lost entries: a database put back
   * to an older copy, or a fork. That is an alarm, never "the check did not run". Anything else
   * (the server busy, down or refusing the credential) is returned to be thrown as it is.
   */
  RuntimeException denied(ServerException e, String what) {
    if (!DENIALS.contains(e.code())) {
      return e;
    }
    long size = state.trustedHead().map(TrustedHead::treeSize).orElse(0L);
    String detail =
        e.code() == ErrorCode.UNKNOWN_TREE_SIZE
            ? "denies ever having had "
                + size
                + " entries, a size this device verified a signed head"
                + " for"
            : "refused to "
                + what
                + " ("
                + e.code().wireName()
                + ": "
                + e.getMessage()
                + "), after this"
                + " device verified a signed head for "
                + size
                + " entries";
    return alarm(
        Kind.ROLLBACK,
        "log",
        "the key-transparency log "
            + detail
            + ": the log was rolled"
            + " back (its database put back to an older copy) or forked. Keep this device's data as"
            + " evidence and tell your contacts; do not trust what this server says",
        state.trustedHead().map(TrustedHead::encode).orElse(null));
  }

  static OptionalLong last(TrustedHead head) {
    return head == null ? OptionalLong.empty() : OptionalLong.of(head.treeSize());
  }

  static List<MonitorMapEntry> entries(NavigableMap<Long, Long> map) {
    List<MonitorMapEntry> out = new ArrayList<>();
    map.forEach((position, version) -> out.add(new MonitorMapEntry(position, version)));
    return out;
  }

  static LabelState withMonitor(LabelState st, NavigableMap<Long, Long> monitor, long start) {
    return new LabelState(
        start,
        st.greatest(),
        st.knownAt(),
        st.insertedAt(),
        monitor,
        st.keys(),
        st.commitments(),
        st.value());
  }
}
