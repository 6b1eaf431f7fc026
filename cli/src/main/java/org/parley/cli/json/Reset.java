package org.parley.cli.json;

/**
 * {@code parley reset}: the profile directory cleared and why ({@code basis}: {@code removed},
 * {@code no_account} or {@code forced}).
 */
public record Reset(boolean reset, String profile, String basis) implements JsonLine {}
