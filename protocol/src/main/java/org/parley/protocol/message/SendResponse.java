package org.parley.protocol.message;

/** The answer to a send, given only once every envelope is committed to storage. */
public record SendResponse(long serverTimestamp, int devices) {}
