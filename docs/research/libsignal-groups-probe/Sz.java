import org.signal.libsignal.protocol.*;
import org.signal.libsignal.protocol.state.*;
public class Sz {
  public static void main(String[] a) throws Exception {
    Lsg.Dev s = new Lsg.Dev(java.util.UUID.randomUUID().toString(), 1, IdentityKeyPair.generate());
    Lsg.Dev r = new Lsg.Dev(java.util.UUID.randomUUID().toString(), 1, IdentityKeyPair.generate());
    new SessionBuilder(s.store, r.addr()).process(r.bundle());
    SessionRecord rec = s.store.loadSession(r.addr());
    System.out.println("fresh sender-side session record bytes=" + rec.serialize().length);
    byte[] ser = rec.serialize();
    long t = System.nanoTime(); for (int i = 0; i < 2000; i++) new SessionRecord(ser); System.out.printf("deserialize SessionRecord: %.1f us%n", (System.nanoTime() - t) / 2000 / 1e3);
  }
}
