package org.parley.keytrans.suite;

import org.parley.keytrans.vrf.EcVrfP256Sha256Tai;
import org.parley.keytrans.vrf.Vrf;

/** KT_128_SHA256_P256 (0x0001): SHA-256, ECDSA P-256 tree heads, ECVRF-P256-SHA256-TAI. */
public final class Kt128Sha256P256 implements CipherSuite {

  private final Vrf vrf = new EcVrfP256Sha256Tai();
  private final SignatureScheme signatures = new EcdsaP256Sha256();

  Kt128Sha256P256() {}

  @Override
  public int id() {
    return 0x0001;
  }

  @Override
  public String name() {
    return "KT_128_SHA256_P256";
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
