package org.parley.cli.json;

/** {@code parley receipts}: whether this device sends read receipts. */
public record ReceiptSetting(boolean readReceipts) implements JsonLine {}
