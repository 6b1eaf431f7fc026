package org.parley.cli;

import java.nio.file.Path;
import org.parley.cli.json.Audited;
import org.parley.client.ServerAddress;
import org.parley.client.audit.LogAuditor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley audit}: an independent audit of a server's key-transparency log. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Audits a Parley server's key-transparency log as an independent third party: reads every"
          + " entry, checks each with the draft's auditor steps (nothing published may be removed"
          + " before a distinguished entry showed it; every proof must match the auditor's own"
          + " state), checks the server's signed head against the root it computed itself, then"
          + " signs an auditor tree head with the auditor's own key and gives it to the server to"
          + " publish.",
      "Needs no account. A failure is an alarm: the command says which entry and step failed,"
          + " keeps the evidence in the auditor directory, and exits with 3."
    },
    footer = {
      "",
      "Examples:",
      "  parley audit https://chat.example.org",
      "  parley audit --auditor-dir ~/kt-auditor --no-publish http://127.0.0.1:8080"
    })
final class AuditCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(paramLabel = "SERVER", description = "The server's URL.")
  String server;

  @Option(
      names = "--auditor-dir",
      paramLabel = "DIR",
      description =
          "Where the auditor keeps its key and the pinned log configuration"
              + " (default: ~/.parley/auditor).")
  Path auditorDir;

  @Option(names = "--no-publish", description = "Check only; do not give the server a signed head.")
  boolean noPublish;

  @Override
  public void run() {
    Path dir =
        auditorDir != null
            ? auditorDir
            : Path.of(System.getProperty("user.home")).resolve(".parley").resolve("auditor");
    LogAuditor auditor =
        new LogAuditor(
            parley.allowed(ServerAddress.parseUrl(server)), dir, parley.caCertificates());
    LogAuditor.Result result;
    try {
      result = auditor.audit(!noPublish, line -> parley.output().note(line));
    } catch (LogAuditor.AuditFailure e) {
      throw new Failures.AlarmException(
          "the key-transparency log failed the audit: " + e.getMessage());
    }
    if (result.root() == null) {
      parley
          .output()
          .result(
              "The log is empty: nothing to audit yet (a new server's log gets its first entry at"
                  + " its first epoch). Auditor key "
                  + result.auditorKey()
                  + ".",
              Audited.of(result));
      return;
    }
    parley
        .output()
        .result(
            "The log's "
                + result.treeSize()
                + (result.treeSize() == 1 ? " entry passes" : " entries pass")
                + " the audit. Root "
                + result.root()
                + ". Auditor key "
                + result.auditorKey()
                + (result.published() ? "; the signed auditor head was given to the server." : "."),
            Audited.of(result));
  }
}
