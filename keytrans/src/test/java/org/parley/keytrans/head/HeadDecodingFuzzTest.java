package org.parley.keytrans.head;

import static org.assertj.core.api.Assertions.fail;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.suite.CipherSuite;

/** Decoders answer random and mutated input with a result or MalformedEncodingException only. */
class HeadDecodingFuzzTest {

  interface Decode {
    Object apply(byte[] bytes) throws MalformedEncodingException;
  }

  @Test
  void decodersOnlyThrowTheTypedException() {
    Random random = new Random(7);
    List<byte[]> seeds = new ArrayList<>();
    for (CipherSuite suite :
        List.of(CipherSuite.KT_128_SHA256_P256, CipherSuite.KT_128_SHA256_Ed25519)) {
      var key =
          suite
              .signatureScheme()
              .publicKey(suite.signatureScheme().generateSecretKey(new SecureRandom()));
      var vrf = suite.vrf().publicKey(suite.vrf().generateSecretKey(new SecureRandom()));
      for (ModeParameters params :
          List.of(
              new ModeParameters.ContactMonitoring(),
              new ModeParameters.ThirdPartyManagement(key),
              new ModeParameters.ThirdPartyAuditing(1, 2, key))) {
        seeds.add(new Configuration(suite, key, vrf, params, 1, 2, 3, OptionalLong.of(4)).encode());
      }
    }
    TreeHead head = new TreeHead(5, new byte[64]);
    seeds.add(head.encode());
    seeds.add(new AuditorTreeHead(1, 5, new byte[64]).encode());
    seeds.add(
        new FullTreeHead.Updated(head, Optional.of(new AuditorTreeHead(1, 5, new byte[3])))
            .encode(DeploymentMode.THIRD_PARTY_AUDITING));

    List<Decode> decoders = new ArrayList<>();
    decoders.add(Configuration::decode);
    decoders.add(TreeHead::decode);
    decoders.add(AuditorTreeHead::decode);
    for (DeploymentMode mode : DeploymentMode.values()) {
      decoders.add(bytes -> FullTreeHead.decode(bytes, mode));
    }

    for (int i = 0; i < 10_000; i++) {
      byte[] input;
      if (random.nextBoolean()) {
        input = new byte[random.nextInt(200)];
        random.nextBytes(input);
      } else {
        byte[] seed = seeds.get(random.nextInt(seeds.size()));
        int length = random.nextInt(4) == 0 ? random.nextInt(seed.length + 2) : seed.length;
        input = java.util.Arrays.copyOf(seed, length);
        for (int m = random.nextInt(3); m >= 0 && input.length > 0; m--) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      }
      for (Decode decoder : decoders) {
        try {
          decoder.apply(input);
        } catch (MalformedEncodingException expected) {
          // the typed refusal
        } catch (RuntimeException e) {
          fail("decoder threw " + e + " on " + java.util.HexFormat.of().formatHex(input));
        }
      }
    }
  }
}
