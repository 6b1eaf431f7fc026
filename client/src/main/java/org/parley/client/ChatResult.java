package org.parley.client;

/**
 * What a conversation action (reply, reaction, edit, unsend, timer) reached.
 *
 * @param conversation the peer's handle, or {@code group:<id>}
 * @param messageId the id (hex) of the message that carried the action
 * @param devices how many of the other party's devices it went to (a group's: all members')
 * @param pending for a one-to-one reply the server could not take yet: why (it waits in the outbox)
 */
public record ChatResult(
    String conversation, String messageId, int devices, java.util.Optional<String> pending) {}
