package org.parley.client.kt;

/**
 * Whose label this device verifies (draft-ietf-keytrans-protocol's two user roles): its own
 * account's, which it monitors as the owner, or another account's or a handle's, which it looked up
 * and monitors as a contact. Stored with each label's state ({@code kt_labels.role}).
 */
enum Role {
  OWNER("owner"),
  CONTACT("contact");

  private final String storedName;

  Role(String storedName) {
    this.storedName = storedName;
  }

  /** The name {@code kt_labels.role} holds. */
  String storedName() {
    return storedName;
  }
}
