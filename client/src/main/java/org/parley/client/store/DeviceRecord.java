package org.parley.client.store;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.link.LinkCode;

/**
 * This device as stored: where its server is, its name and credential password, and either the link
 * request it waits on ({@link Linking}) or the account it belongs to ({@link Active}). One record
 * per state, so that no state's fields are ever missing or left over from another.
 */
public sealed interface DeviceRecord {
  /** The server this device registered or asked to be linked with. */
  URI server();

  String deviceName();

  /** The device's credential password (a secret: sealed at rest, never printed). */
  String password();

  /** A link request made on this device, waiting for a device of some account to approve it. */
  record Linking(
      URI server, String deviceName, String password, LinkCode linkCode, Instant linkExpiresAt)
      implements DeviceRecord {
    public Linking {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(deviceName, "deviceName");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(linkCode, "linkCode");
      Objects.requireNonNull(linkExpiresAt, "linkExpiresAt");
    }

    @Override
    public String toString() {
      return "DeviceRecord.Linking[" + server + ", password=[REDACTED], code=[REDACTED]]";
    }
  }

  /** A device of an account: registered as device 1, or linked and accepted. */
  record Active(
      URI server,
      String deviceName,
      String password,
      AccountId accountId,
      Handle handle,
      DeviceId deviceId)
      implements DeviceRecord {
    public Active {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(deviceName, "deviceName");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(handle, "handle");
      Objects.requireNonNull(deviceId, "deviceId");
    }

    @Override
    public String toString() {
      return "DeviceRecord.Active["
          + server
          + ", "
          + handle
          + "."
          + deviceId
          + ", password=[REDACTED]]";
    }
  }
}
