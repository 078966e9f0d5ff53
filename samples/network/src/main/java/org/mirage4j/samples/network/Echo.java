package org.mirage4j.samples.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.mirage4j.api.Console;
import org.mirage4j.api.Flow;
import org.mirage4j.api.Job;
import org.mirage4j.api.Stack;
import org.mirage4j.api.TcpListener;

/** Echoes every byte it receives on {@code --port}, one thread per connection. */
public final class Echo implements Job {
  private final Console console;
  private final Stack stack;
  private final int port;

  /** The console, the stack and the port. */
  public Echo(Console console, Stack stack, int port) {
    this.console = console;
    this.stack = stack;
    this.port = port;
  }

  @Override
  public void start() throws IOException {
    try (TcpListener listener = stack.tcp().listen(port, 64)) {
      console.log("echo server listening on port " + listener.port());
      while (true) {
        Flow flow;
        try {
          flow = listener.accept();
        } catch (IOException closed) {
          return; // the stack was closed: the unikernel is stopping
        }
        Thread t = new Thread(() -> echo(flow), "echo-" + flow.remoteAddress());
        t.setDaemon(true);
        t.start();
      }
    }
  }

  private void echo(Flow flow) {
    try (flow) {
      ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
      while (flow.read(buffer) >= 0) {
        buffer.flip();
        flow.write(buffer);
        buffer.clear();
      }
    } catch (IOException e) {
      console.log("connection from " + flow.remoteAddress() + " ended: " + e.getMessage());
    }
  }
}
