package org.parley.cli;

import java.util.List;
import java.util.function.Function;
import org.parley.cli.json.Group;
import org.parley.cli.json.GroupSent;
import org.parley.client.GroupInfo;
import org.parley.client.GroupSendResult;
import org.parley.client.HistoryEntry;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley group}: groups whose state only their members hold, changed only by admins, every
 * change signed and checked by every member device (docs/spec/groups.md).
 */
@Command(
    name = "group",
    mixinStandardHelpOptions = true,
    description = {
      "Group conversations. Only admins change who is in a group, who is an admin, and its name;"
          + " every change is signed by the admin's device and checked by every member's devices"
          + " against key transparency, so the server cannot add anyone.",
      "GROUP is a group's id (or its first 8 or more hex digits) or its name; parley group list"
          + " shows them."
    },
    subcommands = {
      GroupCommand.Create.class,
      GroupCommand.ListGroups.class,
      GroupCommand.ShowGroup.class,
      GroupCommand.Send.class,
      GroupCommand.History.class,
      GroupCommand.Add.class,
      GroupCommand.Remove.class,
      GroupCommand.Leave.class,
      GroupCommand.Admin.class,
      GroupCommand.Rename.class,
      GroupCommand.Timer.class
    },
    footer = {
      "",
      "Examples:",
      "  parley group create hikers bob carol@example.org",
      "  parley group send hikers 'Saturday at 9?'",
      "  parley group add hikers dave",
      "  parley group remove hikers carol",
      "  parley group admin hikers bob",
      "  parley group leave hikers",
      "  parley group timer hikers 1d",
      "  parley --json group list"
    })
final class GroupCommand implements Runnable {
  @ParentCommand Parley parley;

  @Override
  public void run() {
    list(parley);
  }

  static void list(Parley parley) {
    Output out = parley.output();
    try (ParleyClient client = parley.openClient()) {
      List<GroupInfo> groups = client.groups();
      if (groups.isEmpty()) {
        out.note("No groups yet. Create one with parley group create NAME HANDLE...");
      }
      for (GroupInfo g : groups) {
        out.result(summary(g), Group.of(g));
      }
    }
  }

  /** One line: short id, name, member count, and if this account left or was removed. */
  static String summary(GroupInfo g) {
    return g.id().substring(0, 8)
        + "  "
        + g.name()
        + "  ("
        + g.members().size()
        + (g.members().size() == 1 ? " member" : " members")
        + ", version "
        + g.version()
        + ")"
        + (g.member() ? "" : "  you are no longer in it");
  }

  /** The group with its members, one per line. */
  static String detail(GroupInfo g) {
    StringBuilder s = new StringBuilder(summary(g)).append("\nid ").append(g.id());
    for (GroupInfo.GroupMember m : g.members()) {
      s.append("\n  ").append(m.handle()).append(m.admin() ? "  (admin)" : "");
    }
    return s.toString();
  }

  /** Runs a change and prints the group as it now stands. */
  static void change(Parley parley, Function<ParleyClient, GroupInfo> change) {
    Output out = parley.output();
    try (ParleyClient client = parley.openClient()) {
      GroupInfo g = change.apply(client);
      out.result(detail(g), Group.of(g));
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Creates a group with you as its admin, and tells every member's devices.",
      footer = {"", "Examples:", "  parley group create hikers bob carol@example.org"})
  static final class Create implements Runnable {
    @ParentCommand GroupCommand group;

    @Parameters(index = "0", paramLabel = "NAME", description = "The group's name.")
    String name;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "HANDLE",
        description = "The members: name@domain, or name on your server.")
    List<String> members;

    @Override
    public void run() {
      change(group.parley, c -> c.createGroup(name, members));
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the groups this device holds.",
      footer = {"", "Examples:", "  parley group list", "  parley --json group list"})
  static final class ListGroups implements Runnable {
    @ParentCommand GroupCommand group;

    @Override
    public void run() {
      list(group.parley);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Shows a group's members and admins.",
      footer = {"", "Examples:", "  parley group show hikers"})
  static final class ShowGroup implements Runnable {
    @ParentCommand GroupCommand group;

    @Parameters(paramLabel = "GROUP", description = "The group's id, id prefix or name.")
    String ref;

    @Override
    public void run() {
      change(group.parley, c -> c.group(ref));
    }
  }

  @Command(
      name = "send",
      mixinStandardHelpOptions = true,
      description =
          "Sends a text to a group: encrypted once with this device's sender key, to every member"
              + " device the key-transparency log proves.",
      footer = {"", "Examples:", "  parley group send hikers 'Saturday at 9?'"})
  static final class Send implements Runnable {
    @ParentCommand GroupCommand group;

    @Parameters(
        index = "0",
        paramLabel = "GROUP",
        description = "The group's id, id prefix or name.")
    String ref;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "TEXT",
        description = "The message; several words are joined with spaces.")
    List<String> words;

    @Override
    public void run() {
      Output out = group.parley.output();
      String text = String.join(" ", words);
      try (ParleyClient client = group.parley.openClient()) {
        GroupInfo g = client.group(ref);
        GroupSendResult r = client.sendToGroup(g.id(), text);
        StringBuilder plain =
            new StringBuilder("Sent to ")
                .append(g.name())
                .append(": ")
                .append(r.devices())
                .append(r.devices() == 1 ? " device" : " devices");
        r.unreached().forEach(u -> plain.append("\n  not reached: ").append(u));
        out.result(
            plain.toString(), new GroupSent(r.messageId(), g.id(), r.devices(), r.unreached()));
        if (!r.unreached().isEmpty()) {
          throw new org.parley.client.ClientException(
              "the text went to the devices above, but "
                  + r.unreached().size()
                  + " member(s) were not reached; parley group send again reaches them");
        }
      }
    }
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description =
          "Shows a group's conversation, oldest first, and marks it read (the senders get read"
              + " receipts, unless turned off with parley receipts off).",
      footer = {"", "Examples:", "  parley group history hikers --limit 20"})
  static final class History implements Runnable {
    @ParentCommand GroupCommand group;

    @Parameters(paramLabel = "GROUP", description = "The group's id, id prefix or name.")
    String ref;

    @Option(names = "--limit", paramLabel = "N", description = "At most N entries (default: 50).")
    int limit = 50;

    @Override
    public void run() {
      if (limit < 1) {
        throw new Failures.UsageException("--limit takes a number above 0");
      }
      Output out = group.parley.output();
      try (ParleyClient client = group.parley.openClient()) {
        int thisDevice = Show.deviceOf(client);
        for (HistoryEntry e : client.groupHistory(ref, limit)) {
          out.result(Show.plain(e, thisDevice), org.parley.cli.json.Entry.of(e));
        }
        client.markRead(ref, true);
      }
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Adds members (admins only); they read what is sent from now on.",
      footer = {"", "Examples:", "  parley group add hikers dave erin@example.org"})
  static final class Add implements Runnable {
    @ParentCommand GroupCommand group;

    @Parameters(
        index = "0",
        paramLabel = "GROUP",
        description = "The group's id, id prefix or name.")
    String ref;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "HANDLE", description = "Who to add.")
    List<String> members;

    @Override
    public void run() {
      change(group.parley, c -> c.addToGroup(ref, members));
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Removes a member (admins only); their devices read nothing sent afterwards.",
      footer = {"", "Examples:", "  parley group remove hikers carol"})
  static final class Remove implements Runnable {
    @ParentCommand GroupCommand group;

    @Parameters(
        index = "0",
        paramLabel = "GROUP",
        description = "The group's id, id prefix or name.")
    String ref;

    @Parameters(index = "1", paramLabel = "HANDLE", description = "Who to remove.")
    String member;

    @Override
    public void run() {
      change(group.parley, c -> c.removeFromGroup(ref, member));
    }
  }

  @Command(
      name = "leave",
      mixinStandardHelpOptions = true,
      description = "Leaves a group. The last admin makes someone else admin first.",
      footer = {"", "Examples:", "  parley group leave hikers"})
  static final class Leave implements Runnable {
    @ParentCommand GroupCommand group;

    @Parameters(paramLabel = "GROUP", description = "The group's id, id prefix or name.")
    String ref;

    @Override
    public void run() {
      change(group.parley, c -> c.leaveGroup(ref));
    }
  }

  @Command(
      name = "admin",
      mixinStandardHelpOptions = true,
      description = "Makes a member an admin, or with --revoke a plain member again (admins only).",
      footer = {
        "",
        "Examples:",
        "  parley group admin hikers bob",
        "  parley group admin hikers bob --revoke"
      })
  static final class Admin implements Runnable {
    @ParentCommand GroupCommand group;

    @Parameters(
        index = "0",
        paramLabel = "GROUP",
        description = "The group's id, id prefix or name.")
    String ref;

    @Parameters(index = "1", paramLabel = "HANDLE", description = "The member.")
    String member;

    @Option(names = "--revoke", description = "Make them a plain member again.")
    boolean revoke;

    @Override
    public void run() {
      change(group.parley, c -> c.setGroupAdmin(ref, member, !revoke));
    }
  }

  @Command(
      name = "rename",
      mixinStandardHelpOptions = true,
      description = "Renames a group (admins only).",
      footer = {"", "Examples:", "  parley group rename hikers 'Saturday hikers'"})
  static final class Rename implements Runnable {
    @ParentCommand GroupCommand group;

    @Parameters(
        index = "0",
        paramLabel = "GROUP",
        description = "The group's id, id prefix or name.")
    String ref;

    @Parameters(index = "1", paramLabel = "NAME", description = "The new name.")
    String name;

    @Override
    public void run() {
      change(group.parley, c -> c.renameGroup(ref, name));
    }
  }

  @Command(
      name = "timer",
      mixinStandardHelpOptions = true,
      description = {
        "Sets the group's disappearing-message timer (admins only): texts sent from then on are"
            + " deleted from every member's devices when it runs out. off turns it off.",
        "DURATION is a number with s, m, h, d or w (30s, 5m, 1h, 1d, 1w), or off; at most 366d."
      },
      footer = {
        "",
        "Examples:",
        "  parley group timer hikers 1d",
        "  parley group timer hikers off"
      })
  static final class Timer implements Runnable {
    @ParentCommand GroupCommand group;

    @Parameters(
        index = "0",
        paramLabel = "GROUP",
        description = "The group's id, id prefix or name.")
    String ref;

    @Parameters(index = "1", paramLabel = "DURATION", description = "How long texts stay, or off.")
    String duration;

    @Override
    public void run() {
      java.time.Duration timer = ConversationCommands.parseDuration(duration);
      change(group.parley, c -> c.setGroupTimer(ref, timer));
    }
  }
}
