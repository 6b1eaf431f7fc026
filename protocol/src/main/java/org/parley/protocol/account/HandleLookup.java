package org.parley.protocol.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;

/**
 * GET /v1/handles/{handle}: which account a handle names. {@code ktSearch}, only when the request
 * named a key-transparency search of the handle's label ({@code ?ktSearch=}): the SearchResponse
 * bytes {@code POST /v1/kt/search} would answer to it, so that the proof comes with what it proves
 * (docs/spec/api.md); absent when not asked for, or when the log cannot answer that search.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("ArrayRecordComponent") // opaque bytes handed to the verifier, never compared
public record HandleLookup(Handle handle, AccountId accountId, byte[] ktSearch) {
  @JsonCreator
  public HandleLookup(
      @JsonProperty("handle") Handle handle,
      @JsonProperty("accountId") AccountId accountId,
      @JsonProperty("ktSearch") byte[] ktSearch) {
    this.handle = handle;
    this.accountId = accountId;
    this.ktSearch = ktSearch;
  }

  /** A look-up without a bundled proof. */
  public HandleLookup(Handle handle, AccountId accountId) {
    this(handle, accountId, null);
  }

  /** The same look-up with {@code proof} as its bundled search answer. */
  public HandleLookup withKtSearch(byte[] proof) {
    return new HandleLookup(handle, accountId, proof);
  }
}
