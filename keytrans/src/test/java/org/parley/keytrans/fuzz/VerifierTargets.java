package org.parley.keytrans.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.search.BinaryLadder;
import org.parley.keytrans.user.UserVerifier;
import org.parley.keytrans.user.VerificationException;

/**
 * The user's five verifications fed mutants of honest responses, each in the exact state the user
 * was in when the honest one arrived. A mutant may be malformed or fail verification; if it
 * verifies, the user must learn exactly what the honest response taught (value, version, head,
 * root, retained view, keys, maps).
 */
final class VerifierTargets {
  private VerifierTargets() {}

  static List<Target> all(List<HonestWorld> worlds, int each) {
    Map<String, List<CorpusTarget.Seed>> byOp = new LinkedHashMap<>();
    for (HonestWorld world : worlds) {
      for (HonestWorld.Scenario s : world.scenarios) {
        byOp.computeIfAbsent(s.op(), k -> new ArrayList<>())
            .add(new CorpusTarget.Seed(s, s.honest()));
      }
    }
    List<Target> out = new ArrayList<>();
    byOp.forEach(
        (op, seeds) ->
            out.add(
                new CorpusTarget("UserVerifier." + op, each, seeds, false) {
                  @Override
                  Object run(Object context, byte[] bytes) throws Exception {
                    return ((HonestWorld.Scenario) context).check().apply(bytes);
                  }

                  @Override
                  boolean refusal(Throwable t) {
                    return t instanceof MalformedEncodingException
                        || t instanceof VerificationException;
                  }

                  @Override
                  String judge(Object context, byte[] bytes, Object result) {
                    HonestWorld.Scenario s = (HonestWorld.Scenario) context;
                    Object meaning = s.meaning().apply(result);
                    if (meaning.equals(s.honestMeaning())) {
                      return null;
                    }
                    if (result instanceof UserVerifier.UpdateResult got
                        && onlyDeferredDiffer(got, (UserVerifier.UpdateResult) s.honestMeaning())) {
                      return DEFERRED
                          + "verifyUpdate accepted another position, or other values of the new"
                          + " greatest version's ladder, for a distinguished entry: the draft's step 3 leaves"
                          + " them to the owner's monitoring";
                    }
                    return "a mutated response verified with another result\n  honest: "
                        + clip(s.honestMeaning())
                        + "\n  got:    "
                        + clip(meaning);
                  }
                }));
    return out;
  }

  /**
   * Whether {@code got} is the honest result but for what the draft does not check yet: when the
   * claimed entry is distinguished, "Updating a Label" step 3 looks up only the new versions
   * outside the new greatest version's search ladder and retains the position and new greatest
   * version "for later verification with the second algorithm" ({@code verifyOwnerMonitor}). So the
   * position, and the values of the ladder's own new versions, are not bound yet.
   */
  private static boolean onlyDeferredDiffer(
      UserVerifier.UpdateResult got, UserVerifier.UpdateResult honest) {
    if (got.result().monitorFromPosition()
        || got.values().size() != honest.values().size()
        || got.firstVersion() != honest.firstVersion()
        || got.result().newGreatest() != honest.result().newGreatest()
        || !got.searchKeys().equals(honest.searchKeys())
        || !got.head().equals(honest.head())) {
      return false;
    }
    long greatest = got.result().newGreatest();
    List<Long> unchecked = BinaryLadder.search(greatest, greatest);
    for (int i = 0; i < got.values().size(); i++) {
      if (!unchecked.contains(got.firstVersion() + i)
          && !got.values().get(i).equals(honest.values().get(i))) {
        return false;
      }
    }
    return true;
  }

  private static String clip(Object o) {
    String s = String.valueOf(o);
    return s.length() > 3000 ? s.substring(0, 3000) + "..." : s;
  }
}
