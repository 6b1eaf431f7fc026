package org.parley.keytrans.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.head.AuditorTreeHead;
import org.parley.keytrans.head.AuditorTreeHeads;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.log.FullSubtrees;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.prefix.PrefixLeaf;
import org.parley.keytrans.prefix.PrefixProof;
import org.parley.keytrans.prefix.PrefixSearchResult;
import org.parley.keytrans.prefix.PrefixTree;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.suite.CipherSuite;

/** The auditor against an honest operator model, and every step's refusal. */
class AuditorTest {
  static final CipherSuite SUITE = CipherSuite.defaultSuite();
  static final long WINDOW = 1000;

  /** Everything the auditor shows; equal snapshots before and after a refusal. */
  record State(
      long size,
      HashValue prefixRoot,
      Optional<HashValue> root,
      Optional<FullSubtrees> subtrees,
      OptionalLong last) {
    static State of(Auditor a) {
      return new State(a.treeSize(), a.prefixRoot(), a.root(), a.fullSubtrees(), a.lastTimestamp());
    }
  }

  /** Checks the auditor agrees with the operator after an accepted entry. */
  static void assertInStep(Auditor auditor, Operator op, AuditedEntry entry) {
    long n = op.size();
    assertThat(entry.treeSize()).isEqualTo(n);
    assertThat(entry.timestamp()).isEqualTo(op.lastTimestamp());
    assertThat(entry.prefixTree()).isEqualTo(op.prefix.root());
    assertThat(entry.root()).isEqualTo(op.log.root(n));
    assertThat(auditor.treeSize()).isEqualTo(n);
    assertThat(auditor.prefixRoot()).isEqualTo(op.prefix.root());
    assertThat(auditor.root()).contains(op.log.root(n));
    assertThat(auditor.fullSubtrees()).contains(op.log.fullSubtrees(n));
    assertThat(auditor.lastTimestamp()).hasValue(op.lastTimestamp());
  }

  static AuditException refused(Auditor auditor, AuditorUpdate update, int step) {
    State before = State.of(auditor);
    AuditException e = catchThrowableOfType(AuditException.class, () -> auditor.process(update));
    assertThat(e).as("refused at step %d", step).isNotNull();
    assertThat(e.step()).as(e.getMessage()).isEqualTo(step);
    assertThat(e.getMessage()).startsWith("step " + step + ": ");
    assertThat(State.of(auditor)).isEqualTo(before);
    return e;
  }

  static AuditedEntry accept(Auditor auditor, Operator op, AuditorUpdate update)
      throws AuditException {
    AuditedEntry entry = auditor.process(update);
    op.commit(update);
    assertInStep(auditor, op, entry);
    return entry;
  }

  record Stats(int entries, int removals, int replacements, int earlyRemovalsRefused) {}

  /**
   * An honest run: random timestamps, additions, removals of leaves old enough and replacements;
   * now and then a premature removal, which the auditor must refuse exactly when the brute-force
   * step 5 says so.
   */
  static Stats honestRun(long seed, int entries) throws AuditException {
    Random random = new Random(seed);
    Operator op = new Operator(SUITE, WINDOW);
    Auditor auditor = new Auditor(op.config);
    long time = random.nextInt(5000);
    int removals = 0;
    int replacements = 0;
    int refused = 0;
    for (int e = 0; e < entries; e++) {
      int gap = random.nextInt(20);
      time += gap < 14 ? random.nextInt(200) : gap < 19 ? random.nextInt(1500) : 5000;
      List<SearchKey> present = new ArrayList<>(op.addedAt.keySet());
      Set<SearchKey> removed = new HashSet<>();
      List<PrefixLeaf> added = new ArrayList<>();
      for (int r = random.nextInt(4); r > 0 && !present.isEmpty(); r--) {
        SearchKey k = present.get(random.nextInt(present.size()));
        if (removed.contains(k)) {
          continue;
        }
        if (op.removable(k, time)) {
          removed.add(k);
          if (random.nextInt(3) == 0) {
            added.add(new PrefixLeaf(k, Operator.randomCommitment(random)));
            replacements++;
          } else {
            removals++;
          }
        } else if (random.nextInt(3) == 0) {
          // Too early: the leaf was in no distinguished entry yet.
          refused(auditor, op.update(time, List.of(), List.of(k)), 5);
          refused++;
        }
      }
      for (int a = random.nextInt(6); a > 0; a--) {
        added.add(Operator.randomLeaf(random, op.addedAt.keySet()));
      }
      accept(auditor, op, op.update(time, added, removed));
    }
    AuditorTreeHead head = auditor.sign(op.auditorKey);
    assertThat(head.treeSize()).isEqualTo(op.size());
    assertThat(head.timestamp()).isEqualTo(op.lastTimestamp());
    try {
      AuditorTreeHeads.verify(op.config, head, op.log.root(op.size()));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return new Stats(entries, removals, replacements, refused);
  }

  @Property(tries = 40)
  void anHonestRunIsAcceptedAndMatchesTheOperator(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 80) int entries) throws Exception {
    honestRun(seed, entries);
  }

  @Test
  void honestRunsRemoveReplaceAndRefuseEarlyRemovals() throws Exception {
    int removals = 0;
    int replacements = 0;
    int refused = 0;
    for (long seed = 1; seed <= 6; seed++) {
      Stats s = honestRun(seed, 120);
      removals += s.removals();
      replacements += s.replacements();
      refused += s.earlyRemovalsRefused();
    }
    assertThat(removals).isGreaterThan(200);
    assertThat(replacements).isGreaterThan(100);
    assertThat(refused).isGreaterThan(10);
  }

  @Test
  void aGhostVersionBetweenTwoDistinguishedEntriesIsRefused() throws Exception {
    Operator op = new Operator(SUITE, WINDOW);
    Auditor auditor = new Auditor(op.config);
    Random random = new Random(1);
    // Entries far apart in time: each is distinguished when the log grows on.
    long time = 0;
    for (int i = 0; i < 8; i++) {
      time += 10 * WINDOW;
      accept(
          auditor, op, op.update(time, List.of(Operator.randomLeaf(random, List.of())), List.of()));
    }
    // A ghost version appears and, a moment later, disappears: no distinguished entry saw it,
    // so no label owner monitoring would ever have.
    PrefixLeaf ghost = Operator.randomLeaf(random, op.addedAt.keySet());
    accept(auditor, op, op.update(time + 1, List.of(ghost), List.of()));
    long ghostAt = op.size() - 1;
    assertThat(op.removable(ghost.vrfOutput(), time + 2)).isFalse();
    AuditException e =
        refused(auditor, op.update(time + 2, List.of(), List.of(ghost.vrfOutput())), 5);
    assertThat(e.getMessage()).contains("added in entry " + ghostAt);
    // A replacement is a removal too.
    PrefixLeaf other = new PrefixLeaf(ghost.vrfOutput(), Operator.randomCommitment(random));
    refused(auditor, op.update(time + 2, List.of(other), List.of(ghost.vrfOutput())), 5);

    // Once an entry holding the leaf is distinguished, the same removal is accepted.
    time += 2;
    while (!op.removable(ghost.vrfOutput(), time)) {
      accept(auditor, op, op.update(time, List.of(), List.of()));
      time += WINDOW / 3;
    }
    accept(auditor, op, op.update(time, List.of(), List.of(ghost.vrfOutput())));
    assertThat(op.prefix.get(ghost.vrfOutput())).isEmpty();
  }

  @Test
  void aRemovalIsJudgedInTheLogThatIncludesTheNewEntry() throws Exception {
    // Two entries close together; the removing entry comes much later. Only with the new entry
    // does the root span a window, making entry 1 (the one that holds the leaf) distinguished.
    Operator op = new Operator(SUITE, WINDOW);
    Auditor auditor = new Auditor(op.config);
    Random random = new Random(2);
    accept(auditor, op, op.update(0, List.of(Operator.randomLeaf(random, List.of())), List.of()));
    PrefixLeaf leaf = Operator.randomLeaf(random, op.addedAt.keySet());
    accept(auditor, op, op.update(10, List.of(leaf), List.of()));
    refused(auditor, op.update(20, List.of(), List.of(leaf.vrfOutput())), 5);
    assertThat(op.removable(leaf.vrfOutput(), WINDOW + 10)).isTrue();
    accept(auditor, op, op.update(WINDOW + 10, List.of(), List.of(leaf.vrfOutput())));
  }

  @Test
  void aTimestampBeforeThePreviousIsRefusedAndAnEqualOneAccepted() throws Exception {
    Operator op = new Operator(SUITE, WINDOW);
    Auditor auditor = new Auditor(op.config);
    accept(auditor, op, op.update(500, List.of(), List.of()));
    refused(auditor, op.update(499, List.of(), List.of()), 1);
    accept(auditor, op, op.update(500, List.of(), List.of()));
    // Unsigned: 2^63 is later than 500, and -1 (2^64-1) later still.
    accept(auditor, op, op.update(Long.MIN_VALUE, List.of(), List.of()));
    accept(auditor, op, op.update(-1, List.of(), List.of()));
    refused(auditor, op.update(Long.MAX_VALUE, List.of(), List.of()), 1);
  }

  /** An auditor and operator with a few entries and keys in place. */
  static Operator populated(Auditor[] auditorOut, long seed) throws AuditException {
    Random random = new Random(seed * 1_000_003L + 17); // not the stream the tests draw from
    Operator op = new Operator(SUITE, WINDOW);
    Auditor auditor = new Auditor(op.config);
    for (int i = 0; i < 6; i++) {
      List<PrefixLeaf> added = new ArrayList<>();
      for (int j = 0; j < 4; j++) {
        added.add(Operator.randomLeaf(random, op.addedAt.keySet()));
      }
      accept(auditor, op, op.update(10 * WINDOW * (i + 1), added, List.of()));
    }
    auditorOut[0] = auditor;
    return op;
  }

  @Test
  void unsortedAndRepeatedLeavesAreRefusedAtStep2() throws Exception {
    Auditor[] a = new Auditor[1];
    Operator op = populated(a, 3);
    Auditor auditor = a[0];
    Random random = new Random(3);
    long t = op.lastTimestamp() + WINDOW;
    List<SearchKey> present = new ArrayList<>(op.addedAt.keySet());
    AuditorUpdate honest =
        op.update(
            t,
            List.of(Operator.randomLeaf(random, present), Operator.randomLeaf(random, present)),
            List.of(present.get(0), present.get(1)));
    List<PrefixLeaf> added = honest.added();
    List<PrefixLeaf> removed = honest.removed();
    PrefixProof proof = honest.proof();
    refused(auditor, new AuditorUpdate(t, List.of(added.get(1), added.get(0)), removed, proof), 2);
    refused(auditor, new AuditorUpdate(t, List.of(added.get(0), added.get(0)), removed, proof), 2);
    refused(
        auditor, new AuditorUpdate(t, added, List.of(removed.get(1), removed.get(0)), proof), 2);
    refused(
        auditor, new AuditorUpdate(t, added, List.of(removed.get(0), removed.get(0)), proof), 2);
    accept(auditor, op, honest);
  }

  @Test
  void wrongResultTypesAreRefusedAtSteps3And4() throws Exception {
    Auditor[] a = new Auditor[1];
    Operator op = populated(a, 4);
    Auditor auditor = a[0];
    long t = op.lastTimestamp() + WINDOW;
    SearchKey present = op.addedAt.keySet().iterator().next();
    PrefixTree tree = op.prefix;
    // Adding a present key without removing it: the honest proof shows inclusion.
    PrefixLeaf again = new PrefixLeaf(present, Operator.randomCommitment(new Random(4)));
    refused(
        auditor, new AuditorUpdate(t, List.of(again), List.of(), tree.prove(List.of(present))), 3);
    // Removing an absent key: the honest proof shows non-inclusion.
    PrefixLeaf absent = Operator.randomLeaf(new Random(5), List.of());
    refused(
        auditor,
        new AuditorUpdate(t, List.of(), List.of(absent), tree.prove(List.of(absent.vrfOutput()))),
        4);
    // A replaced key's added result must show the old leaf: that is checked with the proof.
    AuditorUpdate replace = op.update(t, List.of(again), List.of(present));
    List<PrefixSearchResult> results = new ArrayList<>(replace.proof().results());
    results.set(0, new PrefixSearchResult.NonInclusionParent(results.get(0).depth()));
    refused(
        auditor,
        new AuditorUpdate(
            t,
            replace.added(),
            replace.removed(),
            new PrefixProof(results, replace.proof().elements())),
        6);
    // One result too few or too many.
    refused(auditor, new AuditorUpdate(t, List.of(absent), List.of(), tree.prove(List.of())), 3);
    refused(
        auditor,
        new AuditorUpdate(
            t,
            List.of(absent),
            List.of(),
            tree.prove(List.of(absent.vrfOutput(), absent.vrfOutput()))),
        3);
    // A forged inclusion result for a key never added reaches step 5.
    PrefixProof forged = new PrefixProof(List.of(new PrefixSearchResult.Inclusion(3)), List.of());
    AuditException e =
        refused(auditor, new AuditorUpdate(t, List.of(), List.of(absent), forged), 5);
    assertThat(e.getMessage()).contains("never added");
    // More leaves than a proof has results for.
    List<PrefixLeaf> many = new ArrayList<>();
    Random random = new Random(6);
    for (int i = 0; i < 256; i++) {
      many.add(Operator.randomLeaf(random, List.of()));
    }
    many.sort((x, y) -> x.vrfOutput().compareTo(y.vrfOutput()));
    refused(
        auditor,
        new AuditorUpdate(
            t,
            many,
            List.of(),
            tree.prove(many.subList(0, 255).stream().map(PrefixLeaf::vrfOutput).toList())),
        3);
    accept(auditor, op, op.update(t, List.of(absent), List.of()));
  }

  @Test
  void aProofFromAnotherTreeIsRefusedAtStep6() throws Exception {
    Auditor[] a = new Auditor[1];
    Operator op = populated(a, 5);
    Auditor auditor = a[0];
    Random random = new Random(7);
    long t = op.lastTimestamp() + WINDOW;
    PrefixLeaf leaf = Operator.randomLeaf(random, op.addedAt.keySet());
    // A tree with one more key than the auditor's previous one.
    PrefixTree other =
        op.prefix.put(Operator.randomKey(random, List.of()), Operator.randomCommitment(random));
    AuditException e = refused(auditor, AuditorUpdate.build(other, t, List.of(leaf), List.of()), 6);
    assertThat(e.getMessage()).contains("not the previous entry's");
    // The previous entry's own older tree.
    PrefixTree older = PrefixTree.empty(SUITE);
    refused(auditor, AuditorUpdate.build(older, t, List.of(leaf), List.of()), 6);
    // A removed leaf with another commitment than the one in the tree.
    SearchKey present = op.addedAt.keySet().iterator().next();
    AuditorUpdate honest = op.update(t, List.of(), List.of(present));
    PrefixLeaf wrong = new PrefixLeaf(present, Operator.randomCommitment(random));
    refused(auditor, new AuditorUpdate(t, List.of(), List.of(wrong), honest.proof()), 6);
    // An inconsistent proof: an element too many.
    List<HashValue> extra = new ArrayList<>(honest.proof().elements());
    extra.add(HashValue.of(new byte[32]));
    e =
        refused(
            auditor,
            new AuditorUpdate(
                t, List.of(), honest.removed(), new PrefixProof(honest.proof().results(), extra)),
            6);
    assertThat(e.getMessage()).contains("does not hold");
    accept(auditor, op, honest);
  }

  @Test
  void addedKeysSharing255BitsAreRefusedAtStep7() throws Exception {
    Operator op = new Operator(SUITE, WINDOW);
    Auditor auditor = new Auditor(op.config);
    byte[] k = new byte[32];
    SearchKey k1 = SearchKey.of(k);
    k[31] = 1;
    SearchKey k2 = SearchKey.of(k);
    HashValue c = Operator.randomCommitment(new Random(8));
    refused(
        auditor,
        new AuditorUpdate(
            1,
            List.of(new PrefixLeaf(k1, c), new PrefixLeaf(k2, c)),
            List.of(),
            PrefixTree.empty(SUITE).prove(List.of(k1, k2))),
        7);
    accept(auditor, op, op.update(1, List.of(new PrefixLeaf(k1, c)), List.of()));
  }

  @Test
  void anEmptyUpdateAddsAnEntryWithTheSameTree() throws Exception {
    Auditor[] a = new Auditor[1];
    Operator op = populated(a, 6);
    HashValue before = a[0].prefixRoot();
    AuditedEntry entry = accept(a[0], op, op.update(op.lastTimestamp(), List.of(), List.of()));
    assertThat(entry.prefixTree()).isEqualTo(before);
  }

  @Test
  void theFirstEntryStartsFromTheEmptyTree() throws Exception {
    Operator op = new Operator(SUITE, WINDOW);
    Auditor auditor = new Auditor(op.config);
    assertThat(auditor.treeSize()).isZero();
    assertThat(auditor.prefixRoot().toByteArray()).isEqualTo(new byte[32]);
    assertThat(auditor.root()).isEmpty();
    assertThat(auditor.fullSubtrees()).isEmpty();
    assertThat(auditor.lastTimestamp()).isEmpty();
    assertThatThrownBy(() -> auditor.sign(op.auditorKey)).isInstanceOf(IllegalStateException.class);
    accept(auditor, op, op.update(0, List.of(), List.of()));
    assertThat(auditor.root()).contains(op.log.root(1));
  }

  @Test
  void signingNeedsTheAuditorKeyAndWorksOnBothSuites() throws Exception {
    for (CipherSuite suite :
        List.of(CipherSuite.KT_128_SHA256_P256, CipherSuite.KT_128_SHA256_Ed25519)) {
      Operator op = new Operator(suite, WINDOW);
      Auditor auditor = new Auditor(op.config);
      Random random = new Random(9);
      auditor.process(op.next(42, List.of(Operator.randomLeaf(random, List.of())), List.of()));
      AuditorTreeHead head = auditor.sign(op.auditorKey);
      assertThat(head).isEqualTo(new AuditorTreeHead(42, 1, head.signature()));
      assertThat(AuditorTreeHeads.verify(op.config, head, op.log.root(1)).treeSize()).isOne();
      var stranger = suite.signatureScheme().generateSecretKey(new java.security.SecureRandom());
      assertThatThrownBy(() -> auditor.sign(stranger)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aThirdPartyManagedLogHasNoAuditorAndAContactMonitoringOneHasIndependentOnes() {
    Configuration auditing = new Operator(SUITE, WINDOW).config;
    var scheme = SUITE.signatureScheme();
    var manager = scheme.publicKey(scheme.generateSecretKey(new java.security.SecureRandom()));
    Configuration managed =
        new Configuration(
            auditing.suite(),
            auditing.signaturePublicKey(),
            auditing.vrfPublicKey(),
            new ModeParameters.ThirdPartyManagement(manager),
            1,
            2,
            3,
            OptionalLong.empty());
    assertThatThrownBy(() -> new Auditor(managed)).isInstanceOf(IllegalArgumentException.class);
    Configuration contact =
        new Configuration(
            auditing.suite(),
            auditing.signaturePublicKey(),
            auditing.vrfPublicKey(),
            new ModeParameters.ContactMonitoring(),
            1,
            2,
            3,
            OptionalLong.empty());
    Auditor independent = new Auditor(contact);
    assertThat(independent.treeSize()).isZero();
  }
}
