import java.util.*;
import org.signal.libsignal.protocol.*;
import org.signal.libsignal.protocol.ecc.*;
import org.signal.libsignal.metadata.certificate.*;
public class Svc {
  public static void main(String[] a) throws Exception {
    ECKeyPair root = ECKeyPair.generate(), srv = ECKeyPair.generate();
    ServerCertificate sc = new ServerCertificate(root.getPrivateKey(), 1, srv.getPublicKey());
    ServiceId.Aci aci = new ServiceId.Aci(UUID.randomUUID());
    SenderCertificate c = sc.issue(srv.getPrivateKey(), aci, Optional.empty(), 1, IdentityKeyPair.generate().getPublicKey().getPublicKey(), Long.MAX_VALUE);
    System.out.println("issue(ServiceId) senderUuid=" + c.getSenderUuid() + " senderAci=" + c.getSenderAci() + " toServiceIdString=" + aci.toServiceIdString());
  }
}
