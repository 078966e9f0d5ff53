package org.mirage4j.dsl.ide.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.xtext.ide.server.LanguageServerImpl;

/**
 * The command line of the language server jar: LSP over stdio (the default) or over a TCP socket
 * bound to the loopback interface only.
 *
 * <pre>
 * java -jar mirage4j-dsl-ide-VERSION-ls.jar                 # stdio
 * java -jar mirage4j-dsl-ide-VERSION-ls.jar --socket 5007   # 127.0.0.1:5007, one session per connection
 * </pre>
 */
public final class MirageLanguageServer {

  /** The address the socket mode binds to unless told otherwise. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar mirage4j-ls.jar [--stdio] [--socket PORT [--host ADDRESS]] [--trace]",
          "  --stdio          speak LSP over stdin/stdout (the default)",
          "  --socket PORT    listen on a TCP port (0: any free port; the port is printed on stderr);",
          "                   every connection is a session of its own",
          "  --host ADDRESS   the address to bind in socket mode: a loopback address only",
          "                   (default 127.0.0.1; 0.0.0.0 and other interfaces are refused)",
          "  --trace          log every LSP message on stderr",
          "  --version        the version of the server",
          "  --help           this text",
          "",
          "The project's class path (for Java types) is read from target/mirage/classpath.txt",
          "under each workspace folder (one entry per line); see docs/editors.md.");

  private MirageLanguageServer() {}

  /** The options of one run. */
  public record Options(boolean socket, int port, String host, boolean trace, boolean version) {}

  /** The version of the server (the mirage4j version it was built from). */
  public static String version() {
    java.util.Properties p = new java.util.Properties();
    try (InputStream in = MirageLanguageServer.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // unknown, below
    }
    return p.getProperty("version", "unknown");
  }

  /** Thrown for a command line the server refuses; the message is for the user. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = parse(args);
    } catch (UsageException e) {
      System.err.println("mirage4j-ls: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(64);
      return;
    }
    if (options == null) {
      System.out.println(USAGE);
      return;
    }
    if (options.version()) {
      System.out.println("mirage4j-ls " + version());
      return;
    }
    ServerLogging.toStandardError();
    try {
      if (options.socket()) {
        InetAddress address = loopback(options.host());
        try (ServerSocket server = bind(address, options.port())) {
          System.err.println(
              "mirage4j-ls: listening on "
                  + server.getInetAddress().getHostAddress()
                  + ":"
                  + server.getLocalPort());
          serve(server, options.trace());
        }
      } else {
        runStdio(options.trace());
      }
    } catch (UsageException e) {
      System.err.println("mirage4j-ls: " + e.getMessage());
      System.exit(64);
    } catch (IOException e) {
      System.err.println("mirage4j-ls: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Parses the command line; {@code null} for {@code --help}. */
  public static Options parse(String[] args) throws UsageException {
    boolean socket = false;
    int port = -1;
    String host = null;
    boolean trace = false;
    boolean version = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--stdio":
          break;
        case "--socket":
        case "--port":
          socket = true;
          if (i + 1 >= args.length) {
            throw new UsageException(a + " needs a port number");
          }
          try {
            port = Integer.parseInt(args[++i]);
          } catch (NumberFormatException e) {
            throw new UsageException("not a port number: " + args[i]);
          }
          if (port < 0 || port > 65535) {
            throw new UsageException("not a port number: " + port);
          }
          break;
        case "--host":
          if (i + 1 >= args.length) {
            throw new UsageException("--host needs an address");
          }
          host = args[++i];
          break;
        case "--trace":
          trace = true;
          break;
        case "--version":
        case "-V":
          version = true;
          break;
        case "--help":
        case "-h":
          return null;
        default:
          // editors (vscode-languageclient) add their own flags such as --clientProcessId=123
          if (a.startsWith("--clientProcessId") || a.equals("-log") || a.equals("-trace")) {
            break;
          }
          throw new UsageException("unknown option " + a);
      }
    }
    if (host != null && !socket) {
      throw new UsageException("--host only applies with --socket PORT");
    }
    return new Options(socket, port, host == null ? DEFAULT_HOST : host, trace, version);
  }

  /**
   * The address to bind: {@code host} if it is a loopback address, else a {@link UsageException}.
   * The language server reads and writes the user's files on request, so it never listens where
   * another machine could reach it.
   */
  public static InetAddress loopback(String host) throws UsageException {
    if (host == null || host.isBlank()) {
      throw new UsageException("an empty bind address; the language server binds to 127.0.0.1");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new UsageException("unknown bind address '" + host + "'");
    }
    for (InetAddress a : addresses) {
      if (!a.isLoopbackAddress()) {
        throw new UsageException(
            "refusing to bind to "
                + host
                + (host.equals(a.getHostAddress()) ? "" : " (" + a.getHostAddress() + ")")
                + ": the language server only listens on a loopback address such as 127.0.0.1,"
                + " never on "
                + (a.isAnyLocalAddress() ? "all interfaces" : "an address other machines can reach"));
      }
    }
    return addresses[0];
  }

  /** Binds a server socket to a loopback {@code address} (checked again here). */
  public static ServerSocket bind(InetAddress address, int port) throws IOException, UsageException {
    if (!address.isLoopbackAddress()) {
      throw new UsageException("refusing to bind to " + address.getHostAddress() + ": loopback only");
    }
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(address, port), 16);
    return server;
  }

  /** Serves connections until the server socket is closed; one language server per connection. */
  public static void serve(ServerSocket server, boolean trace) throws IOException {
    ExecutorService sessions = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mirage4j-ls-session");
      t.setDaemon(true);
      return t;
    });
    try {
      while (!server.isClosed()) {
        Socket socket;
        try {
          socket = server.accept();
        } catch (IOException e) {
          if (server.isClosed()) {
            return;
          }
          throw e;
        }
        sessions.execute(() -> {
          try (socket) {
            Future<Void> listening =
                start(socket.getInputStream(), socket.getOutputStream(), trace, socket::close);
            listening.get();
          } catch (Exception e) {
            // the client went away: this session is over, the server goes on
          }
        });
      }
    } finally {
      sessions.shutdownNow();
    }
  }

  private static void runStdio(boolean trace) {
    InputStream in = System.in;
    OutputStream out = new java.io.FileOutputStream(java.io.FileDescriptor.out);
    // nothing but the protocol may go to stdout: whatever a library prints goes to stderr
    System.setOut(System.err);
    System.setIn(InputStream.nullInputStream());
    Future<Void> listening = start(in, out, trace, () -> System.exit(0));
    try {
      listening.get();
    } catch (Exception e) {
      // the input closed
    }
    System.exit(0);
  }

  /**
   * Starts a language server session on a pair of streams and returns the future of its listening
   * loop.
   *
   * @param onExit what the LSP {@code exit} notification does (end the process, close a socket)
   */
  public static Future<Void> start(
      InputStream in, OutputStream out, boolean trace, ExitHandler onExit) {
    LanguageServerImpl server = MirageServerInjector.create(onExit).getInstance(LanguageServerImpl.class);
    Launcher<LanguageClient> launcher =
        new Launcher.Builder<LanguageClient>()
            .setLocalService(server)
            .setRemoteInterface(LanguageClient.class)
            .setInput(in)
            .setOutput(out)
            .traceMessages(trace ? new PrintWriter(System.err, true) : null)
            .create();
    server.connect(launcher.getRemoteProxy());
    return launcher.startListening();
  }

  /** What the {@code exit} notification does. */
  @FunctionalInterface
  public interface ExitHandler {
    void exit() throws IOException;
  }
}
