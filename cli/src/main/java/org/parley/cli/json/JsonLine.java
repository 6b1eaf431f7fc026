package org.parley.cli.json;

/**
 * One line of {@code parley --json} output: a command's result or an event on stdout, or an error
 * on stderr. Each is a record serialised by the protocol's JSON codec; client/README.md, "The
 * `parley --json` output", shows every shape, and JsonLinesDocTest checks that the examples there
 * are what these records print.
 */
public sealed interface JsonLine
    permits Audited,
        Changed,
        Conversation,
        Devices,
        Encryption,
        Entry,
        ErrorLine,
        Event,
        Group,
        GroupSent,
        Identity,
        Link,
        Linking,
        ReceiptSetting,
        Reset,
        SafetyNumber,
        Sealed,
        Sent,
        Serving,
        Timer,
        Verified {}
