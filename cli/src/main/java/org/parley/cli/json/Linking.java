package org.parley.cli.json;

/** {@code parley whoami} while this profile's link request waits ({@code state}: linking). */
public record Linking(String state, String code, String uri) implements JsonLine {}
