package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.cli.json.Alarm;
import org.parley.cli.json.Audited;
import org.parley.cli.json.Conversation;
import org.parley.cli.json.Devices;
import org.parley.cli.json.Encryption;
import org.parley.cli.json.Entry;
import org.parley.cli.json.ErrorLine;
import org.parley.cli.json.Event;
import org.parley.cli.json.Group;
import org.parley.cli.json.GroupSent;
import org.parley.cli.json.Identity;
import org.parley.cli.json.JsonLine;
import org.parley.cli.json.Link;
import org.parley.cli.json.Linking;
import org.parley.cli.json.Reset;
import org.parley.cli.json.SafetyNumber;
import org.parley.cli.json.Sealed;
import org.parley.cli.json.Sent;
import org.parley.cli.json.Serving;
import org.parley.cli.json.Verified;
import org.parley.client.ClientEvent;
import org.parley.client.DeviceIdentity;
import org.parley.client.DeviceNotice;
import org.parley.client.DeviceSummary;
import org.parley.client.GroupInfo;
import org.parley.client.HistoryEntry;
import org.parley.client.HistoryEntry.Delivery;
import org.parley.client.KtAlarm;
import org.parley.client.LinkOffer;
import org.parley.client.PendingLink;
import org.parley.client.audit.LogAuditor;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.link.LinkCode;

/**
 * client/README.md, "The `parley --json` output", shows every line the command prints with {@code
 * --json}: each example there is exactly what one of these records prints (built from the client's
 * values, through the same factories the commands use), every example is one of them, and every
 * kind of line has an example.
 */
class JsonLinesDocTest {
  private static final Instant SENT = Instant.ofEpochMilli(1_764_650_000_000L);
  private static final Instant STORED = Instant.ofEpochMilli(1_764_650_000_250L);
  private static final AccountId ALICE = AccountId.of("0f8e2b5c-9a4d-4c1e-8b7a-3d2e1f0a9b8c");
  private static final AccountId BOB = AccountId.of("5c1d7a2e-3b4f-4e6a-9c8d-7e6f5a4b3c2d");
  private static final String MESSAGE_ID =
      "3a7f0c9e5b1d4f2a8c6e0b9d7f5a3c1e2b4d6f8a0c2e4b6d8f0a1c3e5b7d9f1a";
  private static final String ALICE_KEY = "Jm3kX0aQ2mZ8pLw1vB7sYc";
  private static final String LAPTOP_KEY = "Qv8rT2nK5wE1yU7iO3pLzA";
  private static final String CODE = "7KQ2-M9XD-4TNB-0WHE";
  private static final String URI_ = "parley://link/" + CODE + "#" + LAPTOP_KEY;
  private static final String LOG_HASH = "p3Jd0mX9kQ7vL2sN8wB4yT6rE1uI5oA0zC3hG7fK9jM";
  private static final String ROOT =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final String DIGITS =
      "052187736194285017364928105736209485716203948571620394857162";

  /** One sample of every line, in the order the README shows them. */
  static List<JsonLine> samples() {
    DeviceIdentity alice =
        new DeviceIdentity(
            URI.create("https://chat.example.org"),
            ALICE,
            Handle.of("alice@example.org"),
            DeviceId.of(1),
            "phone",
            ALICE_KEY);
    DeviceIdentity laptop =
        new DeviceIdentity(
            URI.create("https://chat.example.org"),
            ALICE,
            Handle.of("alice@example.org"),
            DeviceId.of(2),
            "laptop",
            LAPTOP_KEY);
    HistoryEntry out =
        new HistoryEntry(
            7,
            "bob@example.org",
            HistoryEntry.Kind.TEXT,
            HistoryEntry.Direction.OUT,
            Optional.of(MESSAGE_ID),
            "alice@example.org",
            1,
            "hello",
            SENT,
            STORED,
            Optional.of(new Delivery(1, Optional.of(2))));
    HistoryEntry waiting =
        new HistoryEntry(
            8,
            "bob@example.org",
            HistoryEntry.Kind.TEXT,
            HistoryEntry.Direction.OUT,
            Optional.of(MESSAGE_ID),
            "alice@example.org",
            1,
            "hello",
            SENT,
            STORED,
            Optional.of(
                new Delivery(
                    0,
                    Optional.empty(),
                    Delivery.State.PENDING,
                    Optional.of("the server is unreachable"))));
    HistoryEntry in =
        new HistoryEntry(
            9,
            "bob@example.org",
            HistoryEntry.Kind.TEXT,
            HistoryEntry.Direction.IN,
            Optional.of(MESSAGE_ID),
            "bob@example.org",
            1,
            "hi",
            SENT,
            STORED,
            Optional.empty());
    KtAlarm open =
        new KtAlarm(
            4,
            SENT.toEpochMilli(),
            KtAlarm.Kind.UNAPPROVED_DEVICE,
            "bob@example.org",
            Optional.of(DeviceId.of(3)),
            "the log shows device 3 of bob@example.org, which no device"
                + " of the account approved",
            new byte[0],
            Optional.empty());
    KtAlarm resolved =
        new KtAlarm(
            3,
            SENT.toEpochMilli(),
            KtAlarm.Kind.CHANGED_KEY,
            "bob@example.org",
            Optional.of(DeviceId.of(2)),
            "device 2 of bob@example.org has a new key",
            new byte[0],
            Optional.of(
                new KtAlarm.Resolution(
                    KtAlarm.Status.ACCEPTED,
                    STORED.toEpochMilli(),
                    "accepted after comparing safety numbers")));
    DeviceNotice added =
        new DeviceNotice(
            12,
            "bob@example.org",
            BOB,
            false,
            DeviceNotice.Change.ADDED,
            DeviceId.of(2),
            Optional.of("tablet"),
            LAPTOP_KEY,
            3,
            STORED);
    return List.of(
        Identity.of(alice),
        Identity.of(alice).withAddress("https://chat.example.org#kt=" + LOG_HASH),
        new Linking("linking", CODE, URI_),
        Link.Pending.of(
            new PendingLink(LinkCode.of(CODE), URI_, LAPTOP_KEY, SENT.plusSeconds(600))),
        Link.Approved.of(
            new LinkOffer(
                ALICE, Handle.of("alice@example.org"), DeviceId.of(1), new byte[33], ALICE_KEY)),
        Link.Linked.of(laptop),
        Devices.Listed.of(new DeviceSummary(1, "phone", SENT, ALICE_KEY, true)),
        new Devices.Approved(true, "laptop", LAPTOP_KEY),
        new Devices.Rejected(true),
        new Devices.Removed(2),
        new Sent(
            MESSAGE_ID,
            "bob@example.org",
            2,
            1,
            0,
            "sent to 2 devices, not yet delivered",
            SENT.toEpochMilli(),
            Map.of(3, "the key-transparency log does not prove it"),
            false),
        Event.of(new ClientEvent.MessageReceived(in)),
        Event.of(new ClientEvent.DeliveryConfirmed(out, 1)),
        Event.of(
            new ClientEvent.EnvelopeHeld(
                "e5d4c3b2-a1f0-4e9d-8c7b-6a5f4e3d2c1b",
                "device 2 of bob@example.org is not in the log yet")),
        Event.of(new ClientEvent.KeyTransparencyAlarm(open)),
        Event.of(new ClientEvent.DeviceChanged(added)),
        Event.of(new ClientEvent.ConnectionChanged(true, "connected to https://chat.example.org")),
        new Conversation("bob@example.org"),
        Entry.of(out),
        Entry.of(waiting),
        new Verified(
            "bob@example.org",
            BOB.value(),
            3,
            List.of(1, 2),
            List.of(),
            42,
            ROOT,
            LOG_HASH,
            DIGITS,
            Map.of(),
            null,
            List.of(Alarm.of(resolved))),
        new SafetyNumber("bob", DIGITS),
        Audited.of(
            new LogAuditor.Result(42, ROOT, "Wm5aT8qL1xR4vB7nK2sD9fG3hJ6kP0wE5yU8iO1rA4c", true)),
        new Reset(true, "/home/alice/.parley/default", "removed"),
        new Serving(
            "https://chat.example.org", "chat.example.org", "sqlite", "/home/alice/.parley/server"),
        new Encryption(true),
        new ErrorLine(
            "unknown_handle",
            5,
            "no account has the handle nobody@example.org. Check" + " the handle's spelling."),
        Group.of(HIKERS),
        new GroupSent(MESSAGE_ID, HIKERS.id(), 5, List.of()),
        Event.of(new ClientEvent.GroupChanged(HIKERS, "alice@example.org added bob@example.org")),
        Event.of(
            new ClientEvent.GroupChangeRefused(
                "hikers",
                "a change by 5c1d7a2e-3b4f-4e6a-9c8d-7e6f5a4b3c2d (sent by bob@example.org) was"
                    + " refused: NOT_ALLOWED, only an admin changes the group")),
        Event.of(
            new ClientEvent.GroupOutOfStep(
                "hikers",
                "bob@example.org",
                3,
                2,
                "bob@example.org sent in hikers holding version 3, this device holds version 2: a"
                    + " change has not reached this device (or the server withholds it); members"
                    + " may not agree on who is in the group")),
        Event.of(
            new ClientEvent.GroupGap(
                "hikers",
                "bob@example.org",
                1,
                4,
                5,
                "1 message from bob@example.org's device 1 in hikers did not arrive before this"
                    + " one: the server dropped it or holds it back")),
        Sealed.of(
            new org.parley.client.SealedStatus(
                Optional.of("05" + ROOT),
                true,
                3,
                Optional.of(Instant.parse("2025-12-03T04:33:20Z"))),
            false),
        new org.parley.cli.json.Changed("bob@example.org", MESSAGE_ID, 2, null),
        Event.of(
            new ClientEvent.MessageChanged(
                REACTED, ClientEvent.MessageChanged.Change.REACTED, "alice@example.org")),
        Event.of(
            new ClientEvent.MessageChanged(
                READ, ClientEvent.MessageChanged.Change.READ, "bob@example.org")),
        Event.of(new ClientEvent.TimerChanged("bob@example.org", 3600, "bob@example.org")),
        Event.of(new ClientEvent.Typing("bob@example.org", "bob@example.org", 1, true)),
        new org.parley.cli.json.Timer("bob@example.org", 3600),
        new org.parley.cli.json.ReceiptSetting(true));
  }

  /** A text from Bob that answers one of Alice's, edited once, with her reaction and a timer. */
  private static final HistoryEntry REACTED =
      new HistoryEntry(
          9,
          "bob@example.org",
          HistoryEntry.Kind.TEXT,
          HistoryEntry.Direction.IN,
          Optional.of(MESSAGE_ID),
          "bob@example.org",
          1,
          "hi again",
          SENT,
          STORED,
          Optional.empty(),
          Optional.of("9c1e2b4d6f8a0c2e4b6d8f0a1c3e5b7d9f1a3a7f0c9e5b1d4f2a8c6e0b9d7f5a"),
          1,
          false,
          List.of(new HistoryEntry.Reaction("alice@example.org", "👍", STORED)),
          Optional.of(STORED.plusSeconds(3600)),
          Optional.of(STORED));

  /** One of Alice's texts, read by Bob. */
  private static final HistoryEntry READ =
      new HistoryEntry(
          7,
          "bob@example.org",
          HistoryEntry.Kind.TEXT,
          HistoryEntry.Direction.OUT,
          Optional.of(MESSAGE_ID),
          "alice@example.org",
          1,
          "hello",
          SENT,
          STORED,
          Optional.of(
              new Delivery(
                  2,
                  Optional.of(2),
                  Delivery.State.SENT,
                  Optional.empty(),
                  List.of("bob@example.org"))),
          Optional.empty(),
          0,
          false,
          List.of(),
          Optional.empty(),
          Optional.empty());

  private static final GroupInfo HIKERS =
      new GroupInfo(
          "8d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f",
          "hikers",
          2,
          List.of(
              new GroupInfo.GroupMember("alice@example.org", true),
              new GroupInfo.GroupMember("bob@example.org", false)),
          true);

  @Test
  void theReadmeShowsExactlyWhatTheRecordsPrint() throws Exception {
    Set<String> printed = new LinkedHashSet<>();
    for (JsonLine line : samples()) {
      printed.add(Json.writeString(line));
    }
    List<String> documented = DocumentedJson.lines();
    assertThat(documented)
        .as("the examples in client/README.md, \"%s\"", DocumentedJson.SECTION)
        .containsExactlyElementsOf(printed);
  }

  @Test
  void everyKindOfLineHasAnExample() {
    Set<Class<?>> sampled = new LinkedHashSet<>();
    samples().forEach(s -> sampled.add(s.getClass()));
    assertThat(sampled).containsExactlyInAnyOrderElementsOf(concreteLines());
  }

  @Test
  void absentFieldsAreLeftOutNeverNull() {
    HistoryEntry error =
        new HistoryEntry(
            1,
            "bob@example.org",
            HistoryEntry.Kind.ERROR,
            HistoryEntry.Direction.IN,
            Optional.empty(),
            "bob@example.org",
            1,
            "cannot decrypt",
            SENT,
            STORED,
            Optional.empty());
    String line = Json.writeString(Event.of(new ClientEvent.EnvelopeFailed(error)));
    assertThat(line)
        .startsWith("{\"event\":\"error\",\"peer\":\"bob@example.org\"")
        .doesNotContain("null")
        .doesNotContain("messageId")
        .doesNotContain("status");
    assertThat(
            Json.writeString(
                Devices.Listed.of(new DeviceSummary(2, null, SENT, LAPTOP_KEY, false))))
        .doesNotContain("name")
        .doesNotContain("null");
  }

  /** The records a line can be: every record under JsonLine's sealed hierarchy. */
  private static Set<Class<?>> concreteLines() {
    Set<Class<?>> found = new LinkedHashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(JsonLine.class));
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      if (c.isSealed()) {
        todo.addAll(List.of(c.getPermittedSubclasses()));
      } else {
        found.add(c);
      }
    }
    return found;
  }
}
