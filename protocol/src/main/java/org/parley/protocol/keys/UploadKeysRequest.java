package org.parley.protocol.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.parley.protocol.Validation;

/**
 * PUT /v1/keys: adds one-time prekeys and optionally replaces the signed prekey and the last-resort
 * Kyber prekey of the calling device.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UploadKeysRequest(
    SignedPreKey signedPreKey,
    KyberPreKey lastResortKyberPreKey,
    List<PreKey> preKeys,
    List<KyberPreKey> kyberPreKeys) {
  public UploadKeysRequest {
    preKeys = Validation.list(preKeys, "preKeys", DeviceKeys.MAX_BATCH);
    kyberPreKeys = Validation.list(kyberPreKeys, "kyberPreKeys", DeviceKeys.MAX_BATCH);
  }
}
