package org.parley.protocol.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;
import org.parley.protocol.keys.DeviceBundle;

/**
 * GET /v1/accounts/me and GET /v1/accounts/{accountId}/devices: an account and its current devices,
 * ordered by device id. {@code ktSearch}, only when the request named a key-transparency search of
 * the account's label ({@code ?ktSearch=}): the SearchResponse bytes {@code POST /v1/kt/search}
 * would answer to it, so that the proof comes with what it proves (docs/spec/api.md); absent when
 * not asked for, or when the log cannot answer that search. {@code bundles}, only when the request
 * asked for them ({@code ?bundles=all}): the prekey bundles {@code GET /v1/keys/{accountId}/*}
 * would hand out, taken under the same limits; absent when not asked for or past those limits.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("ArrayRecordComponent") // opaque bytes handed to the verifier, never compared
public record DeviceList(
    AccountId accountId,
    Handle handle,
    List<DeviceInfo> devices,
    byte[] ktSearch,
    List<DeviceBundle> bundles) {
  @JsonCreator
  public DeviceList(
      @JsonProperty("accountId") AccountId accountId,
      @JsonProperty("handle") Handle handle,
      @JsonProperty("devices") List<DeviceInfo> devices,
      @JsonProperty("ktSearch") byte[] ktSearch,
      @JsonProperty("bundles") List<DeviceBundle> bundles) {
    this.accountId = accountId;
    this.handle = handle;
    this.devices = List.copyOf(devices);
    this.ktSearch = ktSearch;
    this.bundles = bundles == null ? null : List.copyOf(bundles);
  }

  /** A list without a bundled proof or bundles. */
  public DeviceList(AccountId accountId, Handle handle, List<DeviceInfo> devices) {
    this(accountId, handle, devices, null, null);
  }

  /** The same list with {@code proof} as its bundled search answer. */
  public DeviceList withKtSearch(byte[] proof) {
    return new DeviceList(accountId, handle, devices, proof, bundles);
  }

  /** The same list with {@code taken} as its bundled prekey bundles. */
  public DeviceList withBundles(List<DeviceBundle> taken) {
    return new DeviceList(accountId, handle, devices, ktSearch, taken);
  }
}
