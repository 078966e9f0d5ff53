package org.mirage4j.drivers.nic;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.MacAddress;

/**
 * The shared send path, receive loop and close of the fd-backed NICs, over one end of a Unix
 * {@code SOCK_SEQPACKET} socket pair (which keeps frame boundaries, as a TAP device or a packet
 * socket does); the test holds the other end. Needs no privileges.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FdNetworkTest {

  interface Pair extends Library {
    Pair INSTANCE = Native.load("c", Pair.class);

    int socketpair(int domain, int type, int protocol, int[] sv);

    NativeLong read(int fd, Pointer buf, NativeLong count);

    NativeLong write(int fd, Pointer buf, NativeLong count);
  }

  static final int AF_UNIX = 1;
  static final int SOCK_SEQPACKET = 5;
  static final MacAddress MAC = new MacAddress(0x02_00_00_00_00_01L);

  /** A NIC over one end of a socket pair; frames that begin with 0xff are skipped. */
  static final class PairNetwork extends FdNetwork {
    int peer = -1;
    int completed;

    @Override
    protected int open() throws IOException {
      int[] sv = new int[2];
      if (Pair.INSTANCE.socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) {
        throw new IOException("socketpair: " + Interfaces.lastError());
      }
      peer = sv[1];
      macAddress(MAC);
      mtu(100);
      return sv[0];
    }

    @Override
    protected String describe() {
      return "test pair";
    }

    @Override
    protected long readFrame(int fd, Pointer buffer, int capacity) {
      long n = super.readFrame(fd, buffer, capacity);
      return n > 0 && (buffer.getByte(0) & 0xff) == 0xff ? SKIP : n;
    }

    @Override
    protected void completeFrame(ByteBuffer buffer, int start, int length) {
      completed++;
      buffer.put(start + 1, (byte) (buffer.get(start + 1) + 1)); // fixed up in place
    }

    void peerWrite(byte[] frame) {
      Memory m = new Memory(frame.length);
      m.write(0, frame, 0, frame.length);
      assertThat(Pair.INSTANCE.write(peer, m, new NativeLong(frame.length)).longValue())
          .isEqualTo(frame.length);
    }

    byte[] peerRead() {
      Memory m = new Memory(65536);
      long n = Pair.INSTANCE.read(peer, m, new NativeLong(65536)).longValue();
      return m.getByteArray(0, (int) n);
    }
  }

  PairNetwork nic;

  @BeforeEach
  void setUp() throws IOException {
    nic = new PairNetwork();
    nic.connect();
  }

  @AfterEach
  void tearDown() {
    nic.close();
    LibC.INSTANCE.close(nic.peer);
  }

  static byte[] frame(int first, int length) {
    byte[] f = new byte[length];
    for (int i = 0; i < length; i++) {
      f[i] = (byte) (first + i);
    }
    return f;
  }

  @Test
  void framesGoOutWholeFromHeapAndDirectBuffers() throws IOException {
    byte[] a = frame(1, 60);
    nic.send(ByteBuffer.wrap(a));
    assertThat(nic.peerRead()).isEqualTo(a);
    ByteBuffer d = ByteBuffer.allocateDirect(200);
    d.position(10);
    d.put(frame(7, 114)).flip().position(10); // at the MTU: 100 + 14
    nic.send(d);
    assertThat(d.hasRemaining()).isFalse();
    assertThat(nic.peerRead()).isEqualTo(frame(7, 114));
  }

  @Test
  void aFrameAboveTheMtuIsRefused() {
    IOException e = assertThrows(IOException.class, () -> nic.send(ByteBuffer.wrap(new byte[115])));
    assertThat(e).hasMessageThat().contains("exceeds MTU 100");
  }

  @Test
  void framesComeInWholeAndFixedUpIntoHeapAndDirectBuffers() throws IOException {
    nic.peerWrite(frame(1, 50));
    ByteBuffer heap = ByteBuffer.allocate(200);
    assertThat(nic.receive(heap)).isEqualTo(50);
    byte[] expected = frame(1, 50);
    expected[1]++;
    assertThat(Arrays.copyOf(heap.array(), 50)).isEqualTo(expected);

    nic.peerWrite(frame(3, 80));
    ByteBuffer direct = ByteBuffer.allocateDirect(300);
    direct.position(5);
    assertThat(nic.receive(direct)).isEqualTo(80);
    assertThat(direct.position()).isEqualTo(85);
    byte[] got = new byte[80];
    direct.get(5, got);
    expected = frame(3, 80);
    expected[1]++;
    assertThat(got).isEqualTo(expected);
    assertThat(nic.completed).isEqualTo(2);
  }

  @Test
  void aFrameLongerThanTheBufferIsCut() throws IOException {
    nic.peerWrite(frame(1, 90));
    ByteBuffer small = ByteBuffer.allocate(20);
    assertThat(nic.receive(small)).isEqualTo(20);
    assertThat(small.hasRemaining()).isFalse();
  }

  @Test
  void skippedFramesAreNotDelivered() throws IOException {
    nic.peerWrite(frame(0xff, 40));
    nic.peerWrite(frame(2, 30));
    ByteBuffer b = ByteBuffer.allocate(200);
    assertThat(nic.receive(b)).isEqualTo(30);
    assertThat(b.get(0)).isEqualTo((byte) 2);
  }

  @Test
  void closeEndsABlockedReceiveAndLaterSendsFail() throws Exception {
    CompletableFuture<Integer> r = CompletableFuture.supplyAsync(() -> {
      try {
        return nic.receive(ByteBuffer.allocate(200));
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(50); // let it block in poll (not a timing assertion)
    nic.close();
    assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    IOException e = assertThrows(IOException.class, () -> nic.send(ByteBuffer.wrap(new byte[20])));
    assertThat(e).hasMessageThat().isEqualTo("test pair is closed");
    assertThat(nic.receive(ByteBuffer.allocate(10))).isEqualTo(-1);
  }

  @Test
  void theMacAddressIsKnownOnceConnected() {
    assertThat(nic.mac()).isEqualTo(MAC);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new PairNetwork().mac());
    assertThat(e).hasMessageThat().isEqualTo("test pair is not connected");
  }

  @Test
  void interfaceNamesAreChecked() {
    assertThat(Interfaces.checkName("tap0")).isEqualTo("tap0");
    assertThat(Interfaces.checkName("a23456789012345")).hasLength(15);
    assertThrows(IllegalArgumentException.class, () -> Interfaces.checkName("a234567890123456"));
    assertThrows(IllegalArgumentException.class, () -> Interfaces.checkName(""));
    assertThrows(IllegalArgumentException.class, () -> Interfaces.checkName(null));
  }

  @Test
  void anUnknownInterfaceHasTheDefaultMtu() {
    assertThat(Interfaces.mtu("m4s-nosuch0")).isEqualTo(Interfaces.DEFAULT_MTU);
  }
}
