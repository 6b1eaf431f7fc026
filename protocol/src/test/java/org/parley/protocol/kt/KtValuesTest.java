package org.parley.protocol.kt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;

/** Labels, the handle value and the approval statement. */
class KtValuesTest {
  private static final AccountId ACCOUNT = AccountId.of("0f8e2b5c-9a4d-4c1e-8b7a-3d2e1f0a9b8c");

  @Test
  void labelsArePrefixedIdsAndFitTheLogsLimit() {
    assertThat(new String(KtLabels.account(ACCOUNT), UTF_8))
        .isEqualTo("parley/account/0f8e2b5c-9a4d-4c1e-8b7a-3d2e1f0a9b8c");
    assertThat(KtLabels.account(ACCOUNT)).hasSize(51);
    assertThat(new String(KtLabels.handle(Handle.of("Alice@Example.org")), UTF_8))
        .isEqualTo("parley/handle/alice@example.org");
  }

  @Test
  void theLongestHandleOfTheLongestAllowedDomainFitsAndLongerDomainsAreRefused() {
    String name = "a".repeat(32);
    String domain = domainOf(KtLabels.MAX_HANDLE_DOMAIN_LENGTH);
    assertThat(KtLabels.handle(Handle.of(name + "@" + domain))).hasSize(KtLabels.MAX_LENGTH);

    Handle tooLong = Handle.of("a@" + domainOf(KtLabels.MAX_HANDLE_DOMAIN_LENGTH + 1));
    assertThatThrownBy(() -> KtLabels.handle(tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(KtLabels.MAX_HANDLE_DOMAIN_LENGTH));
  }

  /** A syntactically valid domain of exactly {@code length} characters. */
  private static String domainOf(int length) {
    StringBuilder d = new StringBuilder();
    while (length - d.length() > 63) {
      d.append("b".repeat(62)).append('.');
    }
    d.append("c".repeat(length - d.length()));
    assertThat(d).hasSize(length);
    return d.toString();
  }

  @Test
  void handleValueIsTheAccountIdAndNothingElse() throws Exception {
    HandleValue value = new HandleValue(ACCOUNT);
    assertThat(value.encode()).isEqualTo(ACCOUNT.value().getBytes(UTF_8));
    assertThat(HandleValue.decode(value.encode())).isEqualTo(value);

    byte[] good = value.encode();
    assertRejected(null);
    assertRejected(new byte[0]);
    assertRejected(Arrays.copyOf(good, 35));
    assertRejected(Arrays.copyOf(good, 37));
    assertRejected(ACCOUNT.value().toUpperCase().getBytes(UTF_8));
    byte[] braced = good.clone();
    braced[8] = 'x';
    assertRejected(braced);
    byte[] nonAscii = good.clone();
    nonAscii[0] = (byte) 0xc3;
    assertRejected(nonAscii);
  }

  @Test
  void approvalStatementIsContextAccountAndKey() {
    byte[] key = new byte[33];
    key[0] = 0x05;
    key[32] = 0x7f;
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("parley-kt-device-approval-v1".getBytes(UTF_8));
    expected.write(0);
    expected.writeBytes(ACCOUNT.value().getBytes(UTF_8));
    expected.write(0);
    expected.writeBytes(key);

    assertThat(DeviceApprovalStatement.bytes(ACCOUNT, key)).isEqualTo(expected.toByteArray());
    assertThatThrownBy(() -> DeviceApprovalStatement.bytes(ACCOUNT, new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertRejected(byte[] bytes) {
    assertThatThrownBy(() -> HandleValue.decode(bytes)).isInstanceOf(MalformedValueException.class);
  }
}
