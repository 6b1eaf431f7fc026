package org.parley.server.delivery;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ws.CloseCode;
import org.parley.protocol.ws.ServerFrame;

/** This node's open WebSockets, one per device, acting on the delivery events of every node. */
final class ConnectionRegistry implements Consumer<DeliveryEvent> {
  private record Address(AccountId accountId, DeviceId deviceId) {}

  private final ConcurrentHashMap<Address, Connection> connections = new ConcurrentHashMap<>();
  private final DeliveryBus bus;

  ConnectionRegistry(DeliveryBus bus) {
    this.bus = bus;
  }

  /**
   * Makes {@code connection} the device's one connection, closing any older one ({@link
   * CloseCode#REPLACED}).
   */
  void register(Connection connection) {
    Address address = address(connection);
    Connection old = connections.put(address, connection);
    if (old != null) {
      old.close(CloseCode.REPLACED);
    }
    bus.publish(
        new DeliveryEvent.Connected(address.accountId(), address.deviceId(), connection.id()));
  }

  void unregister(Connection connection) {
    connections.remove(address(connection), connection);
  }

  void closeAll() {
    connections.values().forEach(c -> c.close(CloseCode.GOING_AWAY));
    connections.clear();
  }

  @Override
  public void accept(DeliveryEvent event) {
    switch (event) {
      case DeliveryEvent.EnvelopesAvailable e -> {
        Connection c = connections.get(new Address(e.accountId(), e.deviceId()));
        if (c != null) {
          c.envelopesAvailable(e.committed());
        }
      }
      case DeliveryEvent.Ephemeral e -> {
        Connection c = connections.get(new Address(e.accountId(), e.deviceId()));
        if (c != null) {
          c.ephemeral(e.envelope());
        }
      }
      case DeliveryEvent.DevicesChanged e ->
          connections.forEach(
              (address, c) -> {
                if (address.accountId().equals(e.accountId())) {
                  c.send(new ServerFrame.DevicesChanged(e.accountId()));
                }
              });
      case DeliveryEvent.DeviceRemoved e -> {
        Connection c = connections.remove(new Address(e.accountId(), e.deviceId()));
        if (c != null) {
          c.close(CloseCode.REMOVED);
        }
      }
      case DeliveryEvent.KeysLow e -> {
        Connection c = connections.get(new Address(e.accountId(), e.deviceId()));
        if (c != null) {
          c.send(new ServerFrame.KeysLow(e.preKeys(), e.kyberPreKeys()));
        }
      }
      case DeliveryEvent.Connected e -> {
        Address address = new Address(e.accountId(), e.deviceId());
        Connection c = connections.get(address);
        if (c != null && !c.id().equals(e.connectionId()) && connections.remove(address, c)) {
          c.close(CloseCode.REPLACED);
        }
      }
    }
  }

  private static Address address(Connection connection) {
    return new Address(connection.device().accountId(), connection.device().deviceId());
  }
}
