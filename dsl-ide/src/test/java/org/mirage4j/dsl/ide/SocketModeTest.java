package org.mirage4j.dsl.ide;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.Test;
import org.mirage4j.dsl.ide.server.MirageLanguageServer;

/** The socket mode listens on loopback only. */
class SocketModeTest {

  @Test
  void refusesEveryAddressButLoopback() {
    for (String host : List.of("0.0.0.0", "::", "0:0:0:0:0:0:0:0", "192.0.2.10", "10.0.0.1", "8.8.8.8", "2001:db8::1")) {
      Exception e = assertThrows(Exception.class, () -> MirageLanguageServer.loopback(host), host);
      assertThat(e).hasMessageThat().contains("refusing to bind to " + host);
      assertThat(e).hasMessageThat().contains("loopback");
    }
    Exception any = assertThrows(Exception.class, () -> MirageLanguageServer.loopback("0.0.0.0"));
    assertThat(any).hasMessageThat().contains("never on all interfaces");
    assertThrows(Exception.class, () -> MirageLanguageServer.loopback(""));
    assertThrows(Exception.class, () -> MirageLanguageServer.loopback("no-such-host.invalid"));
  }

  @Test
  void refusesToBindANonLoopbackAddressEvenWhenAskedDirectly() throws Exception {
    InetAddress any = InetAddress.getByName("0.0.0.0");
    assertThrows(Exception.class, () -> MirageLanguageServer.bind(any, 0));
  }

  @Test
  void acceptsLoopbackAddresses() throws Exception {
    assertThat(MirageLanguageServer.loopback("127.0.0.1").isLoopbackAddress()).isTrue();
    assertThat(MirageLanguageServer.loopback("::1").isLoopbackAddress()).isTrue();
    assertThat(MirageLanguageServer.loopback("localhost").isLoopbackAddress()).isTrue();
    assertThat(MirageLanguageServer.DEFAULT_HOST).isEqualTo("127.0.0.1");
  }

  @Test
  void servesLspOnTheLoopbackSocket() throws Exception {
    try (ServerSocket server =
        MirageLanguageServer.bind(MirageLanguageServer.loopback(MirageLanguageServer.DEFAULT_HOST), 0)) {
      assertThat(server.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
      Thread t = new Thread(() -> {
        try {
          MirageLanguageServer.serve(server, false);
        } catch (IOException e) {
          // closed
        }
      });
      t.setDaemon(true);
      t.start();
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        Launcher<LanguageServer> client =
            new Launcher.Builder<LanguageServer>()
                .setLocalService(new NoClient())
                .setRemoteInterface(LanguageServer.class)
                .setInput(socket.getInputStream())
                .setOutput(socket.getOutputStream())
                .create();
        client.startListening();
        InitializeResult r = client.getRemoteProxy().initialize(new InitializeParams()).get(30, TimeUnit.SECONDS);
        assertThat(r.getCapabilities().getHoverProvider()).isNotNull();
        client.getRemoteProxy().shutdown().get(30, TimeUnit.SECONDS);
      }
    }
  }

  static final class NoClient implements LanguageClient {
    @Override
    public void telemetryEvent(Object object) {}

    @Override
    public void publishDiagnostics(org.eclipse.lsp4j.PublishDiagnosticsParams diagnostics) {}

    @Override
    public void showMessage(org.eclipse.lsp4j.MessageParams messageParams) {}

    @Override
    public java.util.concurrent.CompletableFuture<org.eclipse.lsp4j.MessageActionItem> showMessageRequest(
        org.eclipse.lsp4j.ShowMessageRequestParams requestParams) {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(org.eclipse.lsp4j.MessageParams message) {}
  }

  @Test
  void commandLine() throws Exception {
    var stdio = MirageLanguageServer.parse(new String[] {});
    assertThat(stdio.socket()).isFalse();
    var socket = MirageLanguageServer.parse(new String[] {"--socket", "5007"});
    assertThat(socket.socket()).isTrue();
    assertThat(socket.port()).isEqualTo(5007);
    assertThat(socket.host()).isEqualTo("127.0.0.1");
    assertThat(MirageLanguageServer.parse(new String[] {"--socket", "0", "--host", "0.0.0.0"}).host())
        .isEqualTo("0.0.0.0"); // parsed, then refused by loopback() before anything is bound
    assertThat(MirageLanguageServer.parse(new String[] {"--help"})).isNull();
    assertThat(assertThrows(Exception.class, () -> MirageLanguageServer.parse(new String[] {"--host", "127.0.0.1"})))
        .hasMessageThat().contains("--host only applies with --socket");
    assertThrows(Exception.class, () -> MirageLanguageServer.parse(new String[] {"--socket"}));
    assertThrows(Exception.class, () -> MirageLanguageServer.parse(new String[] {"--socket", "70000"}));
    assertThrows(Exception.class, () -> MirageLanguageServer.parse(new String[] {"--frobnicate"}));
  }
}
