import java.util.*;
import org.signal.libsignal.protocol.*;
import org.signal.libsignal.protocol.groups.*;
import org.signal.libsignal.protocol.message.*;
public class Tam {
  public static void main(String[] a) throws Exception {
    Lsg.Dev s = new Lsg.Dev(UUID.randomUUID().toString(), 1, IdentityKeyPair.generate());
    Lsg.Dev r = new Lsg.Dev(UUID.randomUUID().toString(), 1, IdentityKeyPair.generate());
    UUID d = UUID.randomUUID();
    var skdm = new GroupSessionBuilder(s.store).create(s.addr(), d);
    new GroupSessionBuilder(r.store).process(s.addr(), skdm);
    byte[] c = new GroupCipher(s.store, s.addr()).encrypt(d, new byte[10]).serialize();
    c[c.length - 1] ^= 1;
    try { new GroupCipher(r.store, s.addr()).decrypt(c); } catch (Throwable e) { System.out.println("bad signature -> " + e.getClass().getName() + ": " + e.getMessage() + (e.getCause() != null ? " cause " + e.getCause() : "")); }
    {
      var ckey = new org.signal.libsignal.metadata.certificate.ServerCertificate(Lsg.trustRoot.getPrivateKey(), 1, Lsg.serverKey.getPublicKey());
      var cert = Lsg.cert(s, Long.MAX_VALUE);
      new SessionBuilder(s.store, r.addr()).process(r.bundle());
      var usmc = new org.signal.libsignal.metadata.protocol.UnidentifiedSenderMessageContent(new SenderKeyMessage(c), cert, 0, Optional.empty());
      byte[] env = new org.signal.libsignal.metadata.SealedSessionCipher(s.store, UUID.fromString(s.name), null, 1).encrypt(r.addr(), usmc);
      try { new org.signal.libsignal.metadata.SealedSessionCipher(r.store, UUID.fromString(r.name), null, 1).decrypt(Lsg.validator, env, System.currentTimeMillis()); }
      catch (Throwable e) { System.out.println("sealed + bad SKM signature -> " + e.getClass().getName()); }
    }
    // a second sender key: other member tries to impersonate s by processing a fake SKDM under s's address? (receiver-side only)
    // using a SKDM under own address for sending:
    Lsg.Dev x = new Lsg.Dev(UUID.randomUUID().toString(), 1, IdentityKeyPair.generate());
    new GroupSessionBuilder(x.store).process(x.addr(), skdm);
    try { new GroupCipher(x.store, x.addr()).encrypt(d, new byte[1]); } catch (Throwable e) { System.out.println("encrypt with receive-only state -> " + e.getClass().getName()); }
  }
}
