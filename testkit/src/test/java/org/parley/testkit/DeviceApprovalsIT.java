package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ParleyClient;
import org.parley.client.kt.DeviceListAudit;
import org.parley.client.kt.DeviceListProblem;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.LinkSerial;

/**
 * The approvals our client signs, as the real server stores them, make device lists that pass the
 * account's own audit at every step: registration, links by two different devices, a removal.
 * (Ghosts are DeviceListAuditTest's business; this is the honest path end to end.)
 */
class DeviceApprovalsIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @AllBackends
  void everyStoredDeviceListPassesTheAudit(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient phone = people.register("alice");
      AccountId account = phone.identity().orElseThrow().accountId();
      DeviceListValue v0 = stored(server, account);
      assertThat(DeviceListAudit.check(account, Optional.empty(), v0)).isEmpty();
      assertThat(v0.entries())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.deviceId()).isEqualTo(DeviceId.of(1));
                assertThat(e.serial()).isEqualTo(LinkSerial.of(1));
                assertThat(e.approver()).isEqualTo(LinkSerial.of(1));
              });

      ParleyClient laptop = people.link(phone, "alice-laptop");
      DeviceListValue v1 = stored(server, account);
      assertThat(DeviceListAudit.check(account, Optional.of(v0), v1)).isEmpty();

      people.link(laptop, "alice-tablet");
      DeviceListValue v2 = stored(server, account);
      assertThat(DeviceListAudit.check(account, Optional.of(v1), v2)).isEmpty();
      assertThat(v2.entry(DeviceId.of(3)).orElseThrow().approver()).isEqualTo(LinkSerial.of(2));

      phone.removeDevice(2);
      DeviceListValue v3 = stored(server, account);
      assertThat(DeviceListAudit.check(account, Optional.of(v2), v3))
          .extracting(DeviceListProblem::kind)
          .containsExactly(DeviceListProblem.Kind.REMOVED);
      // versions may be skipped while every approver stays in sight: the tablet's approver (the
      // laptop) is in v1 ...
      assertThat(DeviceListAudit.check(account, Optional.of(v1), v3))
          .extracting(DeviceListProblem::kind)
          .containsExactly(DeviceListProblem.Kind.REMOVED);
      // ... but not in v0: a publisher that folded the laptop's link and removal into one version
      // would make the tablet look like a ghost, which is why it must not
      // (docs/spec/keytrans-values.md)
      assertThat(DeviceListAudit.check(account, Optional.of(v0), v3))
          .extracting(DeviceListProblem::kind)
          .containsExactly(DeviceListProblem.Kind.UNAPPROVED);

      // the laptop's id is handed out again, to a new device with a new serial: no alarm
      people.link(phone, "alice-watch");
      DeviceListValue v4 = stored(server, account);
      assertThat(DeviceListAudit.check(account, Optional.of(v3), v4)).isEmpty();
      assertThat(v4.entry(DeviceId.of(2)).orElseThrow().serial()).isEqualTo(LinkSerial.of(4));
      assertThat(DeviceListAudit.check(account, Optional.of(v2), v4))
          .extracting(DeviceListProblem::kind)
          .containsExactly(DeviceListProblem.Kind.REMOVED); // the laptop, though its id is back
    }
  }

  /** The account's device list as the server's database holds it. */
  private static DeviceListValue stored(ServerProcess server, AccountId account)
      throws SQLException {
    try (Connection c =
        server.backend() == Backend.SQLITE
            ? DriverManager.getConnection("jdbc:sqlite:" + server.sqliteFile())
            : Postgres.connect()) {
      if (server.backend() == Backend.POSTGRES) {
        try (Statement s = c.createStatement()) {
          s.execute("SET search_path TO " + server.schema());
        }
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT device_id, identity_key, approver_serial, approval_signature, link_serial"
                  + " FROM devices WHERE account_id = ? ORDER BY device_id")) {
        s.setString(1, account.value());
        List<DeviceListValue.Entry> entries = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            entries.add(
                new DeviceListValue.Entry(
                    DeviceId.of(r.getInt(1)),
                    org.parley.protocol.kt.LinkSerial.of(r.getLong(5)),
                    r.getBytes(2),
                    org.parley.protocol.kt.LinkSerial.of(r.getLong(3)),
                    r.getBytes(4)));
          }
        }
        return new DeviceListValue(entries);
      }
    }
  }
}
