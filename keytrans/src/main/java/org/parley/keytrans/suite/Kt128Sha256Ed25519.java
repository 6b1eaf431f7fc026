package org.parley.keytrans.suite;

import org.parley.keytrans.vrf.EcVrfEdwards25519Sha512Tai;
import org.parley.keytrans.vrf.Vrf;

/**
 * KT_128_SHA256_Ed25519 (0x0002): SHA-256, Ed25519 tree heads, ECVRF-EDWARDS25519-SHA512-TAI with
 * its 64-byte output truncated to 32.
 */
public final class Kt128Sha256Ed25519 implements CipherSuite {

  private final Vrf vrf = new EcVrfEdwards25519Sha512Tai();
  private final SignatureScheme signatures = new Ed25519Signatures();

  Kt128Sha256Ed25519() {}

  @Override
  public int id() {
    return 0x0002;
  }

  @Override
  public String name() {
    return "KT_128_SHA256_Ed25519";
  }

  @Override
  public Vrf vrf() {
    return vrf;
  }

  @Override
  public SignatureScheme signatureScheme() {
    return signatures;
  }

  @Override
  public String toString() {
    return name();
  }
}
