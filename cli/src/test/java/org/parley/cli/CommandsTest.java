package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The list of commands a run picks from, held against the command classes and bin/parley. */
class CommandsTest {
  private static final CommandSpec TOP =
      new CommandLine(new Parley(Map.of(), null, null)).getCommandSpec();

  @Test
  void everyNameIsTheNameItsClassDeclares() {
    for (Commands.Entry entry : Commands.ALL) {
      assertThat(entry.type().getAnnotation(CommandLine.Command.class).name())
          .as("the name of %s", entry.type())
          .isEqualTo(entry.name());
    }
    assertThat(Commands.names()).doesNotHaveDuplicates();
  }

  /** A new command class that is not in the list would be unreachable: this fails first. */
  @Test
  void theListHoldsEveryCommandClassOfTheCli() {
    List<String> commandClasses =
        new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.parley.cli")
                .stream()
                .filter(c -> c.getPackageName().equals("org.parley.cli"))
                .filter(c -> c.isTopLevelClass() && c.isAnnotatedWith(CommandLine.Command.class))
                .filter(c -> !c.isEquivalentTo(Parley.class))
                .map(JavaClass::getName)
                .sorted()
                .toList();
    List<String> listed =
        Commands.ALL.stream()
            .map(e -> e.type())
            .filter(t -> t != CommandLine.HelpCommand.class)
            .map(Class::getName)
            .sorted()
            .toList();
    assertThat(commandClasses).hasSize(24).isEqualTo(listed);
    assertThat(Commands.names()).contains("help");
  }

  /** bin/parley names each command's class-data archive after it: the same words. */
  @Test
  void binParleyKnowsEveryCommandWord() throws Exception {
    String script = Files.readString(Path.of("..", "bin", "parley"));
    Matcher cases = Pattern.compile("case \"\\$arg\" in\\s+([a-z| \\\\\\n-]+)\\)").matcher(script);
    assertThat(cases.find()).as("command_word's case in bin/parley").isTrue();
    List<String> words =
        Arrays.stream(cases.group(1).split("[|\\\\\\s]+")).filter(w -> !w.isEmpty()).toList();
    assertThat(words).containsExactlyInAnyOrderElementsOf(Commands.names());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "send bob hi; send",
        "--profile p --json send bob hi; send",
        "--profile=p whoami; whoami",
        "--passphrase-file f --ca-cert c --verbose --insecure-http devices list; devices",
        "--version; ",
        "-V; ",
        "--version send bob hi; send",
        "send --help; send",
        "whoami send; whoami",
        "--help; ALL",
        "-h send; ALL",
        "help; ALL",
        "help send; ALL",
        "; ALL",
        "--json; ALL",
        "--profile send whoami; ALL",
        "--profile=send whoami; ALL",
        "-hV send; ALL",
        "--bogus send; ALL",
        "-- send; ALL",
        "frobnicate; ALL"
      })
  void aRunBuildsOnlyTheCommandItNames(String line, String expected) {
    String[] args = line == null ? new String[0] : line.split(" ");
    List<String> needed = Commands.needed(TOP, args).stream().map(Commands.Entry::name).toList();
    if ("ALL".equals(expected)) {
      assertThat(needed).isEqualTo(Commands.names());
    } else if (expected == null) {
      assertThat(needed).isEmpty();
    } else {
      assertThat(needed).containsExactly(expected);
    }
  }
}
