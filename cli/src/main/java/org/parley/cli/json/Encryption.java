package org.parley.cli.json;

/** {@code parley passphrase set}, {@code change} and {@code remove}: whether it is encrypted. */
public record Encryption(boolean encrypted) implements JsonLine {}
