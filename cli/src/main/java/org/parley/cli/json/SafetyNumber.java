package org.parley.cli.json;

/** {@code parley safety-number}: the handle as given and the 60 digits, ungrouped. */
public record SafetyNumber(String handle, String safetyNumber) implements JsonLine {}
