package org.parley.protocol.ws;

import java.util.ArrayList;
import java.util.List;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.Handle;
import org.parley.protocol.cbor.CborException;
import org.parley.protocol.cbor.CborReader;
import org.parley.protocol.cbor.CborWriter;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.SendRequest;

/**
 * The codec of {@link BinaryFrame}s: deterministic CBOR (RFC 8949 section 4.2.1) exactly as
 * docs/spec/websocket.md lays it out. Decoding is strict: a frame has one encoding, and anything
 * else (a longer integer form, trailing bytes, an unknown kind) is refused.
 */
public final class BinaryFrames {
  static final int SEND = 1;
  static final int ACK = 2;
  static final int SENT = 3;
  static final int ACKED = 4;
  static final int REFUSED = 5;
  static final int ENVELOPES = 6;
  static final int QUEUE_EMPTY = 7;
  static final int DEVICES_CHANGED = 8;
  static final int KEYS_LOW = 9;

  private static final long MAX_UINT32 = 0xffff_ffffL;

  private BinaryFrames() {}

  public static byte[] encode(BinaryFrame frame) {
    CborWriter out = new CborWriter();
    switch (frame) {
      case BinaryFrame.Send s -> {
        out.writeArrayHeader(6).writeUnsigned(SEND).writeUnsigned(s.requestId());
        out.writeText(s.recipient().value()).writeUnsigned(s.request().timestamp());
        out.writeArrayHeader(s.request().messages().size());
        for (OutgoingMessage m : s.request().messages()) {
          out.writeArrayHeader(4).writeUnsigned(m.deviceId().value());
          out.writeUnsigned(m.registrationId()).writeUnsigned(typeCode(m.type()));
          out.writeBytes(m.content());
        }
        writeDevices(out, s.request().withheldDevices().stream().map(DeviceId::value).toList());
      }
      case BinaryFrame.Ack a -> {
        out.writeArrayHeader(3).writeUnsigned(ACK).writeUnsigned(a.requestId());
        out.writeArrayHeader(a.ids().size());
        a.ids().forEach(out::writeText);
      }
      case BinaryFrame.Sent s ->
          out.writeArrayHeader(4)
              .writeUnsigned(SENT)
              .writeUnsigned(s.requestId())
              .writeUnsigned(s.serverTimestamp())
              .writeUnsigned(s.stored());
      case BinaryFrame.Acked a ->
          out.writeArrayHeader(2).writeUnsigned(ACKED).writeUnsigned(a.requestId());
      case BinaryFrame.Refused r -> {
        out.writeArrayHeader(7).writeUnsigned(REFUSED);
        if (r.requestId() == null) {
          out.writeNull();
        } else {
          out.writeUnsigned(r.requestId());
        }
        ErrorResponse e = r.error();
        out.writeUnsigned(r.status()).writeText(e.code()).writeText(e.message());
        out.writeUnsigned(r.retryAfterSeconds());
        if (e.missingDevices() == null) {
          out.writeNull();
        } else {
          out.writeArrayHeader(3);
          writeDevices(out, e.missingDevices());
          writeDevices(out, e.extraDevices());
          writeDevices(out, e.staleDevices());
        }
      }
      case BinaryFrame.Envelopes f -> {
        out.writeArrayHeader(2).writeUnsigned(ENVELOPES).writeArrayHeader(f.envelopes().size());
        for (Envelope e : f.envelopes()) {
          out.writeArrayHeader(8).writeText(e.id());
          if (e.sealed()) {
            out.writeNull().writeNull().writeNull();
          } else {
            out.writeText(e.sourceAccountId().value()).writeText(e.sourceHandle().value());
            out.writeUnsigned(e.sourceDeviceId().value());
          }
          out.writeUnsigned(typeCode(e.type())).writeUnsigned(e.timestamp());
          out.writeUnsigned(e.serverTimestamp()).writeBytes(e.content());
        }
      }
      case BinaryFrame.QueueEmpty q -> out.writeArrayHeader(1).writeUnsigned(QUEUE_EMPTY);
      case BinaryFrame.DevicesChanged d ->
          out.writeArrayHeader(2).writeUnsigned(DEVICES_CHANGED).writeText(d.accountId().value());
      case BinaryFrame.KeysLow k ->
          out.writeArrayHeader(3)
              .writeUnsigned(KEYS_LOW)
              .writeUnsigned(k.preKeys())
              .writeUnsigned(k.kyberPreKeys());
    }
    return out.toByteArray();
  }

  /**
   * Decodes one frame.
   *
   * @throws CborException if the bytes are not one deterministic CBOR array of a known layout
   * @throws IllegalArgumentException if the layout is right but a value is not allowed (an empty
   *     message list, a device id out of range, ...); the message names the field
   */
  public static BinaryFrame decode(byte[] bytes) throws CborException {
    CborReader in = new CborReader(bytes);
    int size = in.readArrayHeader("frame");
    if (size == 0) {
      throw new CborException("frame: an empty array has no kind");
    }
    int kind = (int) in.readUnsigned("kind", 255);
    BinaryFrame frame =
        switch (kind) {
          case SEND -> {
            expect(size, 6, "send");
            long id = in.readUnsigned("requestId", MAX_UINT32);
            AccountId recipient = AccountId.of(in.readText("recipient"));
            long timestamp = in.readUnsigned("timestamp", Long.MAX_VALUE);
            int count = in.readArrayHeader("messages");
            List<OutgoingMessage> messages = new ArrayList<>(Math.min(count, DeviceId.MAX));
            for (int i = 0; i < count; i++) {
              in.readArrayHeader("messages[" + i + "]", 4);
              DeviceId device = DeviceId.of((int) in.readUnsigned("deviceId", DeviceId.MAX));
              int registrationId = (int) in.readUnsigned("registrationId", MAX_UINT32);
              EnvelopeType type = type(in.readUnsigned("type", 255));
              messages.add(
                  new OutgoingMessage(device, registrationId, type, in.readByteArray("content")));
            }
            List<DeviceId> withheld =
                readDevices(in, "withheldDevices").stream().map(DeviceId::of).toList();
            yield new BinaryFrame.Send(
                id, recipient, new SendRequest(messages, timestamp, withheld));
          }
          case ACK -> {
            expect(size, 3, "ack");
            long id = in.readUnsigned("requestId", MAX_UINT32);
            int count = in.readArrayHeader("ids");
            List<String> ids = new ArrayList<>(Math.min(count, 500));
            for (int i = 0; i < count; i++) {
              ids.add(in.readText("ids[" + i + "]"));
            }
            yield new BinaryFrame.Ack(id, ids);
          }
          case SENT -> {
            expect(size, 4, "sent");
            yield new BinaryFrame.Sent(
                in.readUnsigned("requestId", MAX_UINT32),
                in.readUnsigned("serverTimestamp", Long.MAX_VALUE),
                (int) in.readUnsigned("stored", Integer.MAX_VALUE));
          }
          case ACKED -> {
            expect(size, 2, "acked");
            yield new BinaryFrame.Acked(in.readUnsigned("requestId", MAX_UINT32));
          }
          case REFUSED -> {
            expect(size, 7, "refused");
            Long id = in.tryReadNull("requestId") ? null : in.readUnsigned("requestId", MAX_UINT32);
            int status = (int) in.readUnsigned("status", 599);
            String code = in.readText("code");
            String message = in.readText("message");
            long retryAfter = in.readUnsigned("retryAfter", Integer.MAX_VALUE);
            ErrorResponse error;
            if (in.tryReadNull("staleDevices")) {
              error = new ErrorResponse(code, message, null, null, null);
            } else {
              in.readArrayHeader("staleDevices", 3);
              error =
                  new ErrorResponse(
                      code,
                      message,
                      readDevices(in, "missingDevices"),
                      readDevices(in, "extraDevices"),
                      readDevices(in, "staleDevices"));
            }
            yield new BinaryFrame.Refused(id, status, error, retryAfter);
          }
          case ENVELOPES -> {
            expect(size, 2, "envelopes");
            int count = in.readArrayHeader("envelopes");
            List<Envelope> envelopes = new ArrayList<>(Math.min(count, 256));
            for (int i = 0; i < count; i++) {
              in.readArrayHeader("envelopes[" + i + "]", 8);
              String id = in.readText("id");
              AccountId account =
                  in.tryReadNull("sourceAccountId")
                      ? null
                      : AccountId.of(in.readText("sourceAccountId"));
              Handle handle =
                  in.tryReadNull("sourceHandle") ? null : Handle.of(in.readText("sourceHandle"));
              DeviceId device =
                  in.tryReadNull("sourceDeviceId")
                      ? null
                      : DeviceId.of((int) in.readUnsigned("sourceDeviceId", DeviceId.MAX));
              envelopes.add(
                  new Envelope(
                      id,
                      account,
                      handle,
                      device,
                      type(in.readUnsigned("type", 255)),
                      in.readUnsigned("timestamp", Long.MAX_VALUE),
                      in.readUnsigned("serverTimestamp", Long.MAX_VALUE),
                      in.readByteArray("content")));
            }
            yield new BinaryFrame.Envelopes(envelopes);
          }
          case QUEUE_EMPTY -> {
            expect(size, 1, "queue_empty");
            yield new BinaryFrame.QueueEmpty();
          }
          case DEVICES_CHANGED -> {
            expect(size, 2, "devices_changed");
            yield new BinaryFrame.DevicesChanged(AccountId.of(in.readText("accountId")));
          }
          case KEYS_LOW -> {
            expect(size, 3, "keys_low");
            yield new BinaryFrame.KeysLow(
                (int) in.readUnsigned("preKeys", Integer.MAX_VALUE),
                (int) in.readUnsigned("kyberPreKeys", Integer.MAX_VALUE));
          }
          default -> throw new CborException("kind: unknown frame kind " + kind);
        };
    in.requireEnd("frame");
    return frame;
  }

  /**
   * The request id of a frame that could not be decoded, if its first two elements are a request
   * kind and an id: the refusal then names the request it answers.
   */
  public static Long requestIdOf(byte[] bytes) {
    try {
      CborReader in = new CborReader(bytes);
      if (in.readArrayHeader("frame") < 2) {
        return null;
      }
      long kind = in.readUnsigned("kind", 255);
      return kind == SEND || kind == ACK ? in.readUnsigned("requestId", MAX_UINT32) : null;
    } catch (CborException e) {
      return null;
    }
  }

  static int typeCode(EnvelopeType type) {
    return switch (type) {
      case MESSAGE -> 0;
      case PREKEY_MESSAGE -> 1;
      case SENDER_KEY_MESSAGE -> 2;
      case SEALED_SENDER -> 3;
    };
  }

  private static EnvelopeType type(long code) throws CborException {
    return switch ((int) code) {
      case 0 -> EnvelopeType.MESSAGE;
      case 1 -> EnvelopeType.PREKEY_MESSAGE;
      case 2 -> EnvelopeType.SENDER_KEY_MESSAGE;
      case 3 -> EnvelopeType.SEALED_SENDER;
      default -> throw new CborException("type: unknown envelope type " + code);
    };
  }

  private static void expect(int size, int expected, String kind) throws CborException {
    if (size != expected) {
      throw new CborException(
          "frame: a " + kind + " frame has " + expected + " elements, found " + size);
    }
  }

  private static void writeDevices(CborWriter out, List<Integer> devices) {
    out.writeArrayHeader(devices.size());
    devices.forEach(d -> out.writeUnsigned(d));
  }

  private static List<Integer> readDevices(CborReader in, String field) throws CborException {
    int count = in.readArrayHeader(field);
    List<Integer> devices = new ArrayList<>(Math.min(count, DeviceId.MAX));
    for (int i = 0; i < count; i++) {
      devices.add((int) in.readUnsigned(field + "[" + i + "]", DeviceId.MAX));
    }
    return devices;
  }
}
