package org.parley.keytrans.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.vrf.VrfException;
import org.parley.keytrans.vrf.VrfProof;
import org.parley.keytrans.vrf.VrfPublicKey;

/**
 * {@code CipherSuite.verifyVrf} (and {@code vrfOutput}) with mutated, swapped, random and
 * wrong-length keys, inputs and proofs. A case is framed as {@code u8 key length, key, u8 input
 * length, input, proof}, read leniently so that every byte string is some (key, input, proof); an
 * accepted case must be the honest triple with its honest output.
 */
final class VrfTarget {
  private VrfTarget() {}

  /** An honest proof. */
  record Triple(CipherSuite suite, byte[] key, byte[] alpha, byte[] proof, byte[] output) {}

  static List<Triple> triples(long seed, int keys, int inputsPerKey) throws VrfException {
    DeterministicRandom secure = new DeterministicRandom(seed);
    Random random = new Random(seed);
    List<Triple> out = new ArrayList<>();
    for (CipherSuite suite :
        List.of(CipherSuite.KT_128_SHA256_Ed25519, CipherSuite.KT_128_SHA256_P256)) {
      for (int k = 0; k < keys; k++) {
        var sk = suite.vrf().generateSecretKey(secure);
        byte[] pk = suite.vrf().publicKey(sk).bytes();
        for (int i = 0; i < inputsPerKey; i++) {
          byte[] alpha = ProofTargets.bytes(random, random.nextInt(40));
          VrfProof proof = suite.vrf().prove(sk, alpha);
          byte[] output = suite.verifyVrf(new VrfPublicKey(pk), alpha, proof);
          out.add(new Triple(suite, pk, alpha, proof.bytes(), output));
        }
      }
    }
    return out;
  }

  static byte[] frame(byte[] key, byte[] alpha, byte[] proof) {
    byte[] out = new byte[2 + key.length + alpha.length + proof.length];
    out[0] = (byte) key.length;
    System.arraycopy(key, 0, out, 1, key.length);
    out[1 + key.length] = (byte) alpha.length;
    System.arraycopy(alpha, 0, out, 2 + key.length, alpha.length);
    System.arraycopy(proof, 0, out, 2 + key.length + alpha.length, proof.length);
    return out;
  }

  /** The lenient reading: lengths beyond the input take what is there. */
  static byte[][] unframe(byte[] in) {
    int at = 0;
    byte[][] parts = new byte[3][];
    for (int p = 0; p < 2; p++) {
      int n = at < in.length ? in[at++] & 0xFF : 0;
      n = Math.min(n, in.length - at);
      parts[p] = Arrays.copyOfRange(in, at, at + n);
      at += n;
    }
    parts[2] = Arrays.copyOfRange(in, Math.min(at, in.length), in.length);
    return parts;
  }

  static Target target(List<Triple> triples, int budget) {
    return new Target("CipherSuite.verifyVrf", budget) {
      @Override
      Case next(Random random, Mutator mutator) {
        Triple t = triples.get(random.nextInt(triples.size()));
        Triple other = triples.get(random.nextInt(triples.size()));
        List<byte[]> proofs = List.of(other.proof(), t.proof());
        byte[] key = t.key();
        byte[] alpha = t.alpha();
        byte[] proof = t.proof();
        Mutator.Kind kind;
        int roll = random.nextInt(100);
        int np = t.suite().vrfProofLength();
        if (roll < 35) {
          Mutator.Mutant m = mutator.mutate(proof, proofs);
          proof = m.bytes();
          kind = m.kind();
        } else if (roll < 47) {
          Mutator.Mutant m = mutator.mutate(key, List.of(other.key()));
          key = m.bytes();
          kind = m.kind();
        } else if (roll < 55) {
          Mutator.Mutant m = mutator.mutate(alpha, List.of(other.alpha()));
          alpha = m.bytes();
          kind = m.kind();
        } else if (roll < 65) { // a random proof, of the right length half the time
          proof = ProofTargets.bytes(random, random.nextBoolean() ? np : random.nextInt(2 * np));
          kind = Mutator.Kind.RANDOM;
        } else if (roll < 75) { // a random key, of the right length half the time
          key = ProofTargets.bytes(random, random.nextBoolean() ? key.length : random.nextInt(80));
          kind = Mutator.Kind.RANDOM;
        } else if (roll < 85) { // another valid proof, for other input or key
          proof = other.suite() == t.suite() ? other.proof() : proof;
          kind = Mutator.Kind.SPLICE;
        } else if (roll < 90) {
          key = other.suite() == t.suite() ? other.key() : key;
          kind = Mutator.Kind.SPLICE;
        } else if (roll < 95) {
          return new Case(t, ProofTargets.bytes(random, random.nextInt(200)), Mutator.Kind.RANDOM);
        } else {
          kind = Mutator.Kind.HONEST;
        }
        return new Case(t, frame(key, alpha, proof), kind);
      }

      @Override
      Object run(Object context, byte[] bytes) throws Exception {
        Triple t = (Triple) context;
        byte[][] parts = unframe(bytes);
        VrfProof proof = new VrfProof(parts[2]);
        try {
          t.suite().vrfOutput(proof); // proof_to_hash alone: unchecked, but must not blow up
        } catch (VrfException refused) {
          // a proof that does not even decode
        }
        return t.suite().verifyVrf(new VrfPublicKey(parts[0]), parts[1], proof);
      }

      @Override
      boolean refusal(Throwable t) {
        return t instanceof VrfException;
      }

      @Override
      String judge(Object context, byte[] bytes, Object result) {
        Triple t = (Triple) context;
        byte[][] parts = unframe(bytes);
        if (Arrays.equals(parts[0], t.key())
            && Arrays.equals(parts[1], t.alpha())
            && Arrays.equals(parts[2], t.proof())
            && Arrays.equals((byte[]) result, t.output())) {
          return null;
        }
        return "a VRF proof verified for a (key, input, proof) that is not an honest one";
      }
    };
  }
}
