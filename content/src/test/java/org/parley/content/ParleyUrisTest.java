package org.parley.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParleyUrisTest {

  @Test
  void usersAndRoomsUseTheMimiScheme() {
    assertThat(ParleyUris.user("alice@parley.example").value())
        .isEqualTo("mimi://parley.example/u/alice");
    assertThat(ParleyUris.user("a.b_c-9@localhost:8443").value())
        .isEqualTo("mimi://localhost:8443/u/a.b_c-9");
    assertThat(ParleyUris.room("parley.example", "team-42").value())
        .isEqualTo("mimi://parley.example/r/team-42");
  }

  @Test
  void directRoomIsTheSameFromBothSides() {
    MimiUri ab = ParleyUris.directRoom("alice@parley.example", "bob@parley.example");

    assertThat(ParleyUris.directRoom("bob@parley.example", "alice@parley.example")).isEqualTo(ab);
    assertThat(ab.value()).matches("mimi://parley\\.example/r/direct-[0-9a-f]{64}");
    assertThat(ParleyUris.directRoom("alice@parley.example", "carol@parley.example"))
        .isNotEqualTo(ab);
    assertThat(ParleyUris.directRoom("alice@parley.example", "alice@parley.example"))
        .isNotEqualTo(ab);
  }

  @Test
  void directRoomAcrossDomainsTakesTheFirstHandlesDomain() {
    assertThat(ParleyUris.directRoom("zed@a.example", "amy@b.example").value())
        .startsWith("mimi://b.example/r/direct-");
  }

  @Test
  void rejectsWhatIsNotAParleyHandle() {
    for (String bad :
        new String[] {
          "Alice@parley.example", "alice", "@parley.example", "alice@", "-a@x", "a b@x"
        }) {
      assertThatThrownBy(() -> ParleyUris.user(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> ParleyUris.room("parley.example", "a/b"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
