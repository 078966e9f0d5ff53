package org.mirage4j.drivers.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import org.mirage4j.api.Udp;
import org.mirage4j.api.UdpSocket;

/** UDP of a {@link SocketStack}. */
final class SocketUdp implements Udp {

  private final SocketStack stack;

  SocketUdp(SocketStack stack) {
    this.stack = stack;
  }

  @Override
  public UdpSocket bind(int port) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.bind(new InetSocketAddress(port));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    Socket socket = new Socket(stack, channel);
    stack.opened(socket);
    return socket;
  }

  /** A bound datagram channel in blocking mode. */
  private static final class Socket implements UdpSocket {
    private final SocketStack stack;
    private final DatagramChannel channel;
    private final int port;

    Socket(SocketStack stack, DatagramChannel channel) throws IOException {
      this.stack = stack;
      this.channel = channel;
      this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    @Override
    public void send(InetSocketAddress destination, ByteBuffer datagram) throws IOException {
      Objects.requireNonNull(destination, "destination");
      channel.send(datagram, destination);
    }

    @Override
    public InetSocketAddress receive(ByteBuffer into) throws IOException {
      return (InetSocketAddress) channel.receive(into);
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public void close() throws IOException {
      stack.released(this);
      channel.close();
    }

    @Override
    public String toString() {
      return "UdpSocket(" + port + ")";
    }
  }
}
