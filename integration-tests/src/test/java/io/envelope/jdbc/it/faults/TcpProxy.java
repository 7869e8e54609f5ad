package io.envelope.jdbc.it.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of the test PostgreSQL, to stand in for a database restart: the local server is
 * shared by every test running on this machine, so tests must not restart it. {@link #cut} does what a restart
 * looks like from the client: every open connection is dropped at once, new connections are refused for a while,
 * then accepted again (on the same port, so pooled URLs stay valid).
 */
final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile ServerSocket server;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        ServerSocket first = new ServerSocket();
        first.setReuseAddress(true);
        first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.port = first.getLocalPort();
        accept(first);
    }

    /** A proxy in front of the host and port of a {@code jdbc:postgresql://host:port/...} URL. */
    static TcpProxy inFrontOf(String jdbcUrl) throws IOException {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return new TcpProxy(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort()));
    }

    /** {@code jdbcUrl} (plain or {@code jdbc:envelope:}) with its host and port replaced by the proxy's. */
    String route(String jdbcUrl) {
        String routed = jdbcUrl.replaceFirst("//[^/?]+", "//127.0.0.1:" + port);
        if (routed.equals(jdbcUrl)) {
            throw new IllegalArgumentException("no //host:port in " + jdbcUrl);
        }
        return routed;
    }

    /**
     * Drops every connection through the proxy and refuses new ones for {@code refuseMillis}, then accepts again.
     * Returns once the proxy accepts again.
     */
    void cut(long refuseMillis) throws IOException, InterruptedException {
        ServerSocket listening = server;
        server = null;
        listening.close();
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
        Thread.sleep(refuseMillis);
        ServerSocket again = new ServerSocket();
        again.setReuseAddress(true);
        again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        accept(again);
    }

    /** Connections open through the proxy now (client side and server side count one each). */
    int openSockets() {
        return sockets.size();
    }

    private void accept(ServerSocket listening) {
        server = listening;
        Thread acceptor = new Thread(() -> {
            while (!closed && !listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket upstream = new Socket();
                    try {
                        upstream.connect(target, 2000);
                    } catch (IOException e) {
                        closeQuietly(client);
                        continue;
                    }
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                    sockets.add(client);
                    sockets.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // the listening socket was closed by cut() or close()
                }
            }
        }, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            } catch (SocketException e) {
                // dropped by cut() or by the other side
            } catch (IOException e) {
                // the same: a connection that ends
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        ServerSocket listening = server;
        if (listening != null) {
            listening.close();
        }
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }
}
