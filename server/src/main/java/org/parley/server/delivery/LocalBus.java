package org.parley.server.delivery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The in-process bus of a single-node server: publishing calls the listeners directly. */
public final class LocalBus implements DeliveryBus {
  private static final Logger LOG = LoggerFactory.getLogger(LocalBus.class);

  private final List<Consumer<DeliveryEvent>> listeners = new CopyOnWriteArrayList<>();

  @Override
  public void publish(DeliveryEvent event) {
    for (Consumer<DeliveryEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("delivery listener failed on {}", event, e);
      }
    }
  }

  @Override
  public void subscribe(Consumer<DeliveryEvent> listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    listeners.clear();
  }
}
