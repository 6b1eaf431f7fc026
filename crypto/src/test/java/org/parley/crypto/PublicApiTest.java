package org.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Executable;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No libsignal type crosses the facade: callers never need to import it. */
class PublicApiTest {
  private static final List<Class<?>> PUBLIC_TYPES =
      List.of(
          Ciphertext.class,
          Ciphertext.Type.class,
          DeviceCrypto.class,
          DuplicateCiphertextException.class,
          IdentityChangedException.class,
          IdentityPublicKey.class,
          InMemoryProtocolState.class,
          InvalidCiphertextException.class,
          InvalidKeyMaterialException.class,
          KeyIdSeries.class,
          KyberPreKeyPublic.class,
          LocalIdentity.class,
          NoSenderKeyException.class,
          NoSessionException.class,
          PreKeyBundle.class,
          PreKeyPublic.class,
          ProtocolState.class,
          ProtocolState.Work.class,
          RemoteAddress.class,
          SafetyNumbers.class,
          SealedSender.class,
          SealedSender.Sender.class,
          SealedSender.Opened.class,
          SealedSender.Kind.class,
          SealedSender.Recipient.class,
          SenderCertificates.class,
          SenderKeys.class,
          SessionException.class,
          Signatures.class,
          WireKeys.class,
          SignedPreKeyPublic.class);

  @Test
  void publicSignaturesMentionNoLibsignalType() {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : PUBLIC_TYPES) {
      check(type.getName() + " extends", type.getGenericSuperclass(), leaks);
      for (Executable e :
          Stream.concat(
                  Arrays.stream(type.getDeclaredMethods()),
                  Arrays.stream(type.getDeclaredConstructors()))
              .toList()) {
        if (!Modifier.isPublic(e.getModifiers()) && !Modifier.isProtected(e.getModifiers())) {
          continue;
        }
        String where = type.getSimpleName() + "." + e.getName();
        Arrays.stream(e.getGenericParameterTypes()).forEach(t -> check(where, t, leaks));
        Arrays.stream(e.getGenericExceptionTypes()).forEach(t -> check(where, t, leaks));
        if (e instanceof java.lang.reflect.Method m) {
          check(where, m.getGenericReturnType(), leaks);
        }
      }
      Arrays.stream(type.getFields())
          .forEach(f -> check(type.getSimpleName() + "." + f.getName(), f.getGenericType(), leaks));
    }
    assertThat(leaks).isEmpty();
  }

  private static void check(String where, Type type, List<String> leaks) {
    if (type != null && type.getTypeName().contains("org.signal")) {
      leaks.add(where + ": " + type.getTypeName());
    }
  }

  @Test
  void theListAboveIsEveryPublicType() throws Exception {
    var root = java.nio.file.Path.of("src/main/java/org/parley/crypto");
    try (var files = java.nio.file.Files.list(root)) {
      List<String> declaredPublic =
          files
              .filter(
                  p -> {
                    try {
                      return java.nio.file.Files.readString(p).contains("\npublic ");
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .map(p -> p.getFileName().toString().replace(".java", ""))
              .sorted()
              .toList();
      assertThat(
              PUBLIC_TYPES.stream()
                  .filter(c -> c.getEnclosingClass() == null)
                  .map(Class::getSimpleName))
          .containsExactlyInAnyOrderElementsOf(declaredPublic);
    }
  }
}
