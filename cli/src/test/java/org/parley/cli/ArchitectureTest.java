package org.parley.cli;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.properties.HasModifiers.Predicates.modifier;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries the brief sets (docs/architecture.md, "Modules"), checked over the main
 * classes of every module (the cli's classpath holds them all). A rule broken here is a design
 * change: make it in docs/architecture.md first, then here.
 */
class ArchitectureTest {
  private static JavaClasses parley;

  @BeforeAll
  static void importParley() {
    parley =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(
                location -> !location.contains("-tests.jar")) // other modules' test-jars
            .importPackages("org.parley");
  }

  @Test
  void onlyTheCryptoModuleUsesLibsignal() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.parley.crypto..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.signal..")
        .because("all end-to-end crypto goes through one module, so it can be reviewed as one")
        .check(parley);
  }

  @Test
  void theWireContractDependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage("org.parley.protocol..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.parley.server..",
            "org.parley.store..",
            "org.parley.client..",
            "org.parley.cli..",
            "org.parley.crypto..",
            "org.parley.keytrans..",
            "org.parley.content..",
            "org.parley.bench..")
        .check(parley);
  }

  @Test
  void theServerCoreImportsNoStorageBackend() {
    noClasses()
        .that()
        .resideInAPackage("org.parley.server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.parley.store..",
            "org.sqlite..",
            "org.postgresql..",
            "com.zaxxer.hikari..",
            "org.flywaydb..")
        .because(
            "backends are modules of their own (store-jdbc, store-sqlite, store-postgres), found"
                + " through ServiceLoader by name (StoreProvider)")
        .check(parley);
  }

  @Test
  void theStoresUseOnlyTheServersStorageSpiAndDomainValues() {
    DescribedPredicate<JavaClass> inTheServer = resideInAPackage("org.parley.server..");
    noClasses()
        .that()
        .resideInAPackage("org.parley.store..")
        .should()
        .dependOnClassesThat(
            inTheServer
                .and(
                    not(
                        resideInAnyPackage(
                            "org.parley.server.storage",
                            "org.parley.server.account",
                            "org.parley.server.device",
                            "org.parley.server.kt",
                            "org.parley.server.link",
                            "org.parley.server.message",
                            "org.parley.server.prekey",
                            "org.parley.server.sealed")))
                .or(
                    inTheServer.and(
                        simpleNameEndingWith("Service").or(simpleNameEndingWith("Handler"))))
                .as("are server classes beyond the storage SPI and the domain values"))
        .because(
            "a store keeps the values the feature stores hold; the HTTP API, the services and"
                + " the server's configuration are not its business")
        .check(parley);
  }

  @Test
  void theClientNeverImportsTheServer() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.parley.client..",
            "org.parley.crypto..",
            "org.parley.content..",
            "org.parley.keytrans..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.parley.server..", "org.parley.store..")
        .because("a client knows the server only through the published protocol")
        .check(parley);
  }

  @Test
  void theCommandLineUsesTheClientNotItsInternals() {
    noClasses()
        .that()
        .resideInAPackage("org.parley.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.parley.crypto..", "org.parley.keytrans..", "org.parley.content..", "org.signal..")
        .check(parley);
  }

  /**
   * The client SDK's public API: the public types of these packages (client/README.md, "Public API
   * and internals"). Its other packages (kt, store, trust, transport) are its internals.
   */
  private static final String[] CLIENT_API = {"org.parley.client", "org.parley.client.audit"};

  @Test
  void theCommandLineUsesOnlyTheClientsPublicApi() {
    noClasses()
        .that()
        .resideInAPackage("org.parley.cli..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("org.parley.client..").and(not(resideInAnyPackage(CLIENT_API))))
        .because(
            "the command is a shell over the SDK's public API; the client's internals may change"
                + " without it")
        .check(parley);
  }

  @Test
  void theClientsPublicApiMentionsNoInternalType() {
    codeUnits()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat(resideInAnyPackage(CLIENT_API).and(modifier(JavaModifier.PUBLIC)))
        .should(mentionNoInternalClientType())
        .because("a caller of the public API must never need an internal type to use it")
        .check(parley);
  }

  private static ArchCondition<JavaCodeUnit> mentionNoInternalClientType() {
    return new ArchCondition<>("mention no internal type of the client") {
      @Override
      public void check(JavaCodeUnit unit, ConditionEvents events) {
        List<JavaClass> mentioned = new ArrayList<>();
        unit.getParameterTypes().forEach(t -> mentioned.addAll(t.getAllInvolvedRawTypes()));
        mentioned.addAll(unit.getReturnType().getAllInvolvedRawTypes());
        unit.getExceptionTypes().forEach(t -> mentioned.addAll(t.getAllInvolvedRawTypes()));
        for (JavaClass type : mentioned) {
          if (type.getPackageName().startsWith("org.parley.client.")
              && !List.of(CLIENT_API).contains(type.getPackageName())) {
            events.add(
                SimpleConditionEvent.violated(
                    unit, unit.getFullName() + " mentions " + type.getName()));
          }
        }
      }
    };
  }

  @Test
  void theServerAnswersWithTheRecordsOfTheWireContract() {
    noClasses()
        .that()
        .resideInAPackage("org.parley.server..")
        .and()
        .haveSimpleNameNotStartingWith("Misbehaviour")
        .should()
        .callMethod(
            "org.parley.server.http.Bodies", "ok", "io.javalin.http.Context", "java.lang.Object")
        .because(
            "every JSON answer is a record of protocol (docs/spec/api.md, \"Bodies\"), so"
                + " that client and server share one definition; only the test-only misbehaviour"
                + " endpoints answer ad-hoc maps")
        .check(parley);
  }

  @Test
  void onlyTheServerCommandStartsAServer() {
    noClasses()
        .that()
        .resideInAPackage("org.parley.cli..")
        .and()
        .doNotHaveSimpleName("ServerCommand")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.parley.server..", "org.parley.store..")
        .check(parley);
  }

  @Test
  void noMainClassHoldsOrReachesTheMisbehavingOperator() {
    noClasses()
        .should()
        .resideInAPackage("org.parley.server.misbehaviour..")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("org.parley.server.misbehaviour..")
        .because(
            "a production build holds no misbehaviour: the test switch's operator is test "
                + "code, found through ServiceLoader (OperatorHook)")
        .check(parley);
  }

  @Test
  void onlyTestArtifactsRegisterAnOperatorHook() throws IOException {
    var registrations =
        Collections.list(
            ArchitectureTest.class
                .getClassLoader()
                .getResources(
                    "META-INF/services/" + org.parley.server.kt.OperatorHook.class.getName()));
    // the server's test-jar is on this class path, so there is one; no main artifact may add one
    assertThat(registrations)
        .isNotEmpty()
        .allSatisfy(
            url ->
                assertThat(url.toString())
                    .as("an OperatorHook registered outside test code")
                    .containsAnyOf("/test-classes/", "-tests.jar"));
  }
}
