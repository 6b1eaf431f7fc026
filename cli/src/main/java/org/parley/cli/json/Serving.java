package org.parley.cli.json;

/**
 * {@code parley server}, once it listens: its address, the domain of its handles, its store and
 * where it keeps its data.
 */
public record Serving(String url, String domain, String store, String dataDir)
    implements JsonLine {}
