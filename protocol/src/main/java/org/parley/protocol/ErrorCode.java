package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Every error the API can answer with. The wire name is what clients match on; the HTTP status is
 * fixed per code. docs/spec/errors.md lists them with their meaning and what a client should do.
 */
public enum ErrorCode {
  MALFORMED_JSON(400, "malformed_json"),
  INVALID_REQUEST(400, "invalid_request"),
  INVALID_HANDLE(400, "invalid_handle"),
  INVALID_KEY(400, "invalid_key"),
  BAD_SIGNATURE(400, "bad_signature"),
  INVALID_APPROVAL(400, "invalid_approval"),
  UNKNOWN_TREE_SIZE(400, "unknown_tree_size"),
  UNAUTHORIZED(401, "unauthorized"),
  DELIVERY_CREDENTIAL_REFUSED(401, "delivery_credential_refused"),
  FORBIDDEN(403, "forbidden"),
  NOT_FOUND(404, "not_found"),
  UNKNOWN_HANDLE(404, "unknown_handle"),
  UNKNOWN_ACCOUNT(404, "unknown_account"),
  UNKNOWN_DEVICE(404, "unknown_device"),
  UNKNOWN_ENVELOPE(404, "unknown_envelope"),
  UNKNOWN_LINK(404, "unknown_link"),
  UNKNOWN_LABEL(404, "unknown_label"),
  UNKNOWN_VERSION(404, "unknown_version"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed"),
  HANDLE_TAKEN(409, "handle_taken"),
  ACCOUNT_ID_TAKEN(409, "account_id_taken"),
  STALE_DEVICES(409, "stale_devices"),
  LAST_DEVICE(409, "last_device"),
  TOO_MANY_DEVICES(409, "too_many_devices"),
  /**
   * Answered only by a test-only misbehaviour endpoint (docs/spec/api.md, "Test-only endpoints").
   */
  DEVICE_PRESENT(409, "device_present"),
  LINK_CLOSED(410, "link_closed"),
  BODY_TOO_LARGE(413, "body_too_large"),
  RATE_LIMITED(429, "rate_limited"),
  INTERNAL_ERROR(500, "internal_error"),
  STORAGE_FULL(503, "storage_full");

  private final int httpStatus;
  private final String wireName;

  ErrorCode(int httpStatus, String wireName) {
    this.httpStatus = httpStatus;
    this.wireName = wireName;
  }

  public int httpStatus() {
    return httpStatus;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static ErrorCode fromWireName(String name) {
    for (ErrorCode code : values()) {
      if (code.wireName.equals(name)) {
        return code;
      }
    }
    throw new IllegalArgumentException("unknown error code " + name);
  }
}
