package org.parley.cli.json;

/** {@code parley history} without a handle: one line per conversation, named by its peer. */
public record Conversation(String peer) implements JsonLine {}
