package org.parley.keytrans.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.parley.keytrans.log.FullSubtrees;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InclusionProof;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.log.LogTree;
import org.parley.keytrans.log.LogTreeHash;
import org.parley.keytrans.log.LogVerifier;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.log.ProofScope;
import org.parley.keytrans.log.VerifiedLogTree;
import org.parley.keytrans.prefix.PrefixProof;
import org.parley.keytrans.prefix.PrefixSearch;
import org.parley.keytrans.prefix.PrefixTree;
import org.parley.keytrans.prefix.PrefixVerifier;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.suite.CipherSuite;

/**
 * The two tree verifiers against real trees: {@code PrefixVerifier.computeRoot} and {@code
 * LogVerifier.evaluate}. Both may return any root for a bad proof (the caller compares it with a
 * signed one), so the judge asks the sound question: whenever the computed root is the real tree's,
 * every claim the verifier accepted must be true of that tree.
 */
final class ProofTargets {
  private ProofTargets() {}

  // ---- prefix tree ---------------------------------------------------------------------------

  /** A real prefix tree, the searches a user would make of it, and the honest proof. */
  record PrefixWorld(
      CipherSuite suite, PrefixTree tree, List<PrefixSearch> searches, byte[] proof) {}

  /** The searches of one case (possibly mutated) with the world they were made in. */
  record PrefixCase(PrefixWorld world, List<PrefixSearch> searches) {}

  static List<PrefixWorld> prefixWorlds(long seed, int count) {
    Random random = new Random(seed);
    List<PrefixWorld> out = new ArrayList<>();
    int[] sizes = {0, 1, 2, 3, 5, 8, 30, 200, 1000};
    for (int w = 0; w < count; w++) {
      CipherSuite suite =
          w % 2 == 0 ? CipherSuite.KT_128_SHA256_Ed25519 : CipherSuite.KT_128_SHA256_P256;
      Map<SearchKey, HashValue> leaves = new HashMap<>();
      List<SearchKey> keys = new ArrayList<>();
      for (int i = sizes[w % sizes.length]; i > 0; i--) {
        SearchKey key = SearchKey.of(bytes(random, 32));
        leaves.put(key, HashValue.of(bytes(random, 32)));
        keys.add(key);
      }
      PrefixTree tree = PrefixTree.empty(suite).putAll(leaves);
      List<PrefixSearch> searches = new ArrayList<>();
      for (int i = random.nextInt(7); i > 0; i--) {
        int kind = random.nextInt(4);
        if (kind == 0 && !keys.isEmpty()) {
          SearchKey key = keys.get(random.nextInt(keys.size()));
          searches.add(PrefixSearch.present(key, leaves.get(key)));
        } else if (kind == 1 && !keys.isEmpty()) {
          // Absent, but sharing a long prefix with a present key: a deep non-inclusion leaf.
          byte[] near = keys.get(random.nextInt(keys.size())).toByteArray();
          near[31 - random.nextInt(4)] ^= (byte) (1 << random.nextInt(8));
          searches.add(PrefixSearch.absent(SearchKey.of(near)));
        } else if (kind == 2 && !searches.isEmpty()) {
          searches.add(searches.get(random.nextInt(searches.size()))); // a repeated search
        } else {
          searches.add(PrefixSearch.absent(SearchKey.of(bytes(random, 32))));
        }
      }
      PrefixProof proof = tree.prove(searches.stream().map(PrefixSearch::key).toList());
      out.add(new PrefixWorld(suite, tree, List.copyOf(searches), proof.encode()));
    }
    return out;
  }

  /** Proofs with every result type, for the PrefixProof decoder's corpus. */
  static List<CorpusTarget.Seed> prefixProofSeeds() {
    return prefixWorlds(7, 18).stream().map(w -> new CorpusTarget.Seed(null, w.proof())).toList();
  }

  static Target prefix(List<PrefixWorld> worlds, int budget) {
    List<byte[]> corpus = worlds.stream().map(PrefixWorld::proof).toList();
    return new Target("PrefixVerifier.computeRoot", budget) {
      @Override
      Case next(Random random, Mutator mutator) {
        PrefixWorld world = worlds.get(random.nextInt(worlds.size()));
        List<PrefixSearch> searches = world.searches();
        byte[] proof = world.proof();
        int roll = random.nextInt(100); // searches 30%, proof 58%, both 9%, honest 3%
        if (roll >= 97) {
          return new Case(new PrefixCase(world, searches), proof.clone(), Mutator.Kind.HONEST);
        }
        Mutator.Kind kind = Mutator.Kind.BYTE_SET;
        if (roll < 30 || roll >= 88) {
          searches = mutateSearches(random, world.searches());
        }
        if (roll >= 30) {
          Mutator.Mutant m = mutator.mutate(proof, corpus);
          proof = m.bytes();
          kind = roll < 88 ? m.kind() : Mutator.Kind.STACKED;
        }
        return new Case(new PrefixCase(world, searches), proof, kind);
      }

      @Override
      Object run(Object context, byte[] bytes) throws Exception {
        PrefixCase c = (PrefixCase) context;
        return new PrefixVerifier(c.world().suite())
            .computeRoot(c.searches(), PrefixProof.decode(bytes));
      }

      @Override
      boolean refusal(Throwable t) {
        return t instanceof MalformedEncodingException || t instanceof InvalidProofException;
      }

      @Override
      String judge(Object context, byte[] bytes, Object result) {
        PrefixCase c = (PrefixCase) context;
        if (!result.equals(c.world().tree().root())) {
          return null; // another root: the caller's comparison with the signed root refuses it
        }
        for (PrefixSearch s : c.searches()) {
          Optional<HashValue> truth = c.world().tree().get(s.key());
          if (!truth.equals(s.commitment())) {
            return "the real root, yet key "
                + s.key()
                + " is claimed "
                + s.commitment()
                + " where the tree holds "
                + truth;
          }
        }
        return null;
      }
    };
  }

  /** One structural change: a flipped key bit, a toggled claim, a dropped or swapped search. */
  private static List<PrefixSearch> mutateSearches(Random random, List<PrefixSearch> in) {
    List<PrefixSearch> out = new ArrayList<>(in);
    if (out.isEmpty() || random.nextInt(8) == 0) {
      out.add(PrefixSearch.absent(SearchKey.of(bytes(random, 32))));
      return out;
    }
    int i = random.nextInt(out.size());
    PrefixSearch s = out.get(i);
    switch (random.nextInt(5)) {
      case 0 -> {
        byte[] key = s.key().toByteArray();
        key[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
        out.set(i, new PrefixSearch(SearchKey.of(key), s.commitment()));
      }
      case 1 ->
          out.set(
              i,
              s.commitment().isPresent()
                  ? PrefixSearch.absent(s.key())
                  : PrefixSearch.present(s.key(), HashValue.of(bytes(random, 32))));
      case 2 -> out.remove(i);
      case 3 -> out.set(i, out.set(random.nextInt(out.size()), s));
      default -> out.add(random.nextInt(out.size() + 1), s);
    }
    return out;
  }

  // ---- log tree ------------------------------------------------------------------------------

  /** A real log tree, a scope over it, what the verifier is given, and the honest proof. */
  record TreeScope(
      LogTree tree,
      ProofScope scope,
      FullSubtrees retained,
      List<HashValue> leaves,
      byte[] frame) {}

  static List<TreeScope> treeScopes(long seed, int trees, int scopesPerTree) {
    Random random = new Random(seed);
    List<TreeScope> out = new ArrayList<>();
    for (int t = 0; t < trees; t++) {
      LogTree tree = new LogTree(LogTreeHash.SHA256);
      int size = 1 + (t % 3 == 0 ? random.nextInt(9) : random.nextInt(700));
      for (int i = 0; i < size; i++) {
        tree.appendLeafValue(HashValue.of(bytes(random, 32)));
      }
      for (int s = 0; s < scopesPerTree; s++) {
        long n = 1 + random.nextInt(size);
        long[] leaves = random.longs(random.nextInt(7), 0, n).sorted().distinct().toArray();
        long retainedSize = random.nextBoolean() ? 0 : 1 + random.nextLong(n);
        long auditorSize = random.nextInt(3) > 0 ? 0 : 1 + random.nextLong(n);
        ProofScope scope = new ProofScope(n, leaves, retainedSize, auditorSize);
        List<HashValue> values = Arrays.stream(leaves).mapToObj(tree::leafValue).toList();
        out.add(
            new TreeScope(
                tree,
                scope,
                retainedSize == 0 ? null : tree.fullSubtrees(retainedSize),
                values,
                frame(32, values, tree.prove(scope).elements())));
      }
    }
    return out;
  }

  /** The case bytes: element length, the proved leaves' values, then the InclusionProof. */
  private static byte[] frame(int length, List<HashValue> leaves, List<HashValue> elements) {
    List<HashValue> resized =
        elements.stream().map(e -> HashValue.of(Arrays.copyOf(e.toByteArray(), length))).toList();
    byte[] proof = new InclusionProof(resized).encode();
    byte[] out = new byte[1 + 32 * leaves.size() + proof.length];
    out[0] = (byte) length;
    for (int i = 0; i < leaves.size(); i++) {
      System.arraycopy(leaves.get(i).toByteArray(), 0, out, 1 + 32 * i, 32);
    }
    System.arraycopy(proof, 0, out, out.length - proof.length, proof.length);
    return out;
  }

  static Target log(List<TreeScope> worlds, int budget) {
    List<byte[]> corpus = worlds.stream().map(TreeScope::frame).toList();
    return new Target("LogVerifier.evaluate", budget) {
      @Override
      Case next(Random random, Mutator mutator) {
        TreeScope w = worlds.get(random.nextInt(worlds.size()));
        int roll = random.nextInt(100);
        int proofAt = 1 + 32 * w.leaves().size();
        byte[] f = w.frame();
        if (roll < 50) { // the proof
          Mutator.Mutant m = mutator.mutate(Arrays.copyOfRange(f, proofAt, f.length), corpus);
          return new Case(w, Mutator.splice(f, proofAt, f.length, m.bytes()), m.kind());
        }
        if (roll < 62 && proofAt > 1) { // the leaf values
          byte[] bad = f.clone();
          bad[1 + random.nextInt(proofAt - 1)] ^= (byte) (1 << random.nextInt(8));
          return new Case(w, bad, Mutator.Kind.BIT_FLIP);
        }
        if (roll < 74) { // random elements, about as many as the honest proof has
          int count = Math.max(0, (f.length - proofAt - 2) / 32 + random.nextInt(3) - 1);
          List<HashValue> elements = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            elements.add(HashValue.of(bytes(random, 32)));
          }
          return new Case(w, frame(32, w.leaves(), elements), Mutator.Kind.RANDOM);
        }
        if (roll < 84) { // the honest elements at a wrong length
          int length = 1 + random.nextInt(64);
          return new Case(
              w,
              frame(length, w.leaves(), w.tree().prove(w.scope()).elements()),
              Mutator.Kind.TRUNCATE);
        }
        if (roll < 95) {
          Mutator.Mutant m = mutator.mutate(f, corpus);
          return new Case(w, m.bytes(), m.kind());
        }
        return new Case(w, f.clone(), Mutator.Kind.HONEST);
      }

      @Override
      Object run(Object context, byte[] bytes) throws Exception {
        TreeScope w = (TreeScope) context;
        int length = bytes.length == 0 || bytes[0] == 0 ? 256 : bytes[0] & 0xFF;
        List<HashValue> leaves = new ArrayList<>();
        int at = 1;
        for (int i = 0; i < w.leaves().size(); i++, at += 32) {
          byte[] v = new byte[32]; // short input reads as zero bytes: the frame never fails
          if (at < bytes.length) {
            System.arraycopy(bytes, at, v, 0, Math.min(32, bytes.length - at));
          }
          leaves.add(HashValue.of(v));
        }
        byte[] proof =
            at < bytes.length ? Arrays.copyOfRange(bytes, at, bytes.length) : new byte[0];
        return new Object[] {
          leaves,
          new LogVerifier(LogTreeHash.SHA256)
              .evaluate(w.scope(), leaves, w.retained(), InclusionProof.decode(proof, length))
        };
      }

      @Override
      boolean refusal(Throwable t) {
        return t instanceof MalformedEncodingException || t instanceof InvalidProofException;
      }

      @Override
      String judge(Object context, byte[] bytes, Object result) {
        TreeScope w = (TreeScope) context;
        Object[] r = (Object[]) result;
        VerifiedLogTree got = (VerifiedLogTree) r[1];
        long n = w.scope().treeSize();
        if (!got.root().equals(w.tree().root(n))) {
          return null;
        }
        if (!r[0].equals(w.leaves())) {
          return "the real root from leaf values that are not the tree's";
        }
        if (!got.fullSubtrees().equals(w.tree().fullSubtrees(n))) {
          return "the real root, yet other full subtrees to retain";
        }
        long a = w.scope().auditorSize();
        if (a > 0 && !got.auditorRoot().orElseThrow().equals(w.tree().root(a))) {
          return "the real root, yet another auditor root";
        }
        return null;
      }
    };
  }

  static byte[] bytes(Random random, int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }
}
