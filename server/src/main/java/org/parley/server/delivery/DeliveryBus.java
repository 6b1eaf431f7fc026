package org.parley.server.delivery;

import java.util.function.Consumer;

/**
 * Fans delivery events out to every server node, so that whichever node holds a device's WebSocket
 * hears about new envelopes, device changes and removals. Delivery is best effort: an event lost in
 * transit delays a push until the device reconnects (its queue is durable), it never loses an
 * envelope. Implementations: {@link LocalBus} (one process); a Redis one for several nodes.
 */
public interface DeliveryBus extends AutoCloseable {
  /** Sends the event to every subscriber on every node, this one included. */
  void publish(DeliveryEvent event);

  /** Registers this node's listener; called once per node at start. */
  void subscribe(Consumer<DeliveryEvent> listener);

  @Override
  void close();
}
