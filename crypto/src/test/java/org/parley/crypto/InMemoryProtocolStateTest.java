package org.parley.crypto;

class InMemoryProtocolStateTest extends ProtocolStateContract {
  @Override
  protected ProtocolState newState() {
    return new InMemoryProtocolState();
  }
}
