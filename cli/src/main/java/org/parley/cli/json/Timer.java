package org.parley.cli.json;

/** {@code parley timer HANDLE}: the conversation's disappearing-message timer, 0 when off. */
public record Timer(String conversation, long seconds) implements JsonLine {}
