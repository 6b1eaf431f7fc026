package org.parley.cli.json;

import java.util.List;

/**
 * {@code parley group send}: the message id, the group, how many member devices it went to, and
 * each member it could not reach, with why.
 */
public record GroupSent(String messageId, String group, int devices, List<String> unreached)
    implements JsonLine {}
