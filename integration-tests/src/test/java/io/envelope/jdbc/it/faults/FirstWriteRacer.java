package io.envelope.jdbc.it.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One racing process of {@link ProcessesRacingOnFirstWriteIT}: connects through envelope-jdbc (one connection per
 * table, each on its own thread), prints {@code ready}, waits for the go file, then writes its rows to every table
 * at once. Exits 0 when every write succeeded.
 *
 * <p>Arguments: envelope URL, config file, go file, first id, rows per table, tables...
 */
public final class FirstWriteRacer {

    private FirstWriteRacer() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String config = args[1];
        Path go = Path.of(args[2]);
        int firstId = Integer.parseInt(args[3]);
        int rows = Integer.parseInt(args[4]);
        List<String> tables = List.of(args).subList(5, args.length);
        Properties properties = new Properties();
        properties.setProperty("envelope.config", config);
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            connections.add(DriverManager.getConnection(url, properties));
        }
        ExecutorService threads = Executors.newFixedThreadPool(tables.size());
        try {
            System.out.println("ready");
            while (!Files.exists(go)) {
                Thread.onSpinWait();
            }
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < tables.size(); t++) {
                String table = tables.get(t);
                Connection c = connections.get(t);
                done.add(threads.submit(() -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO " + table + " (id, tag, note) VALUES (?, ?, ?)")) {
                        for (int id = firstId; id < firstId + rows; id++) {
                            ps.setInt(1, id);
                            ps.setString(2, "tag-" + id);
                            ps.setString(3, "note-" + id);
                            ps.executeUpdate();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            System.out.println("done");
        } finally {
            threads.shutdownNow();
            for (Connection c : connections) {
                c.close();
            }
        }
        System.exit(0);
    }
}
