package org.parley.protocol.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.parley.protocol.DeviceId;

/**
 * One device of an account as the directory shows it. {@code name} is shown only to the account's
 * own devices; {@code createdAt} is milliseconds since the Unix epoch.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceInfo(
    DeviceId deviceId, String name, int registrationId, byte[] identityKey, long createdAt) {}
