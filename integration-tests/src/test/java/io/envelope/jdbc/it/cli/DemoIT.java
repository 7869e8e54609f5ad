package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.cli.EnvelopeCli;
import io.envelope.jdbc.it.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code demo --url} on real PostgreSQL leaves nothing behind, or with {@code --keep} says how to remove it. */
class DemoIT {

    private static final Pattern SCHEMA = Pattern.compile("schema:\\s+(envelope_demo_[0-9a-f]{8})");

    @Test
    void demoAgainstPostgresDropsItsOwnSchemaAndNeverTouchesTheTargetSchema() throws Exception {
        String[] run = demo("demo", "--url", TestDatabase.jdbcUrl());
        assertThat(run[0]).as(run[2]).isEqualTo("0");
        String schema = schemaOf(run[1]);
        assertThat(run[1]).contains("Removed the demo's schema " + schema).contains(schema + ".envelope_data_keys");
        assertThat(schemaExists(schema)).isFalse();
        // nothing was created in the target schema itself
        assertThat(tableExists("public", "envelope_demo_customers")).isFalse();
    }

    @Test
    void keepLeavesTheSchemaAndSaysHowToRemoveIt() throws Exception {
        String[] run = demo("demo", "--url", TestDatabase.jdbcUrl(), "--keep");
        assertThat(run[0]).as(run[2]).isEqualTo("0");
        String schema = schemaOf(run[1]);
        assertThat(schemaExists(schema)).isTrue();
        assertThat(run[1]).contains("Kept schema " + schema).contains("DROP SCHEMA " + schema + " CASCADE");
        try (Connection c = TestDatabase.plainConnection()) {
            c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static String schemaOf(String out) {
        Matcher m = SCHEMA.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private static boolean schemaExists(String schema) throws Exception {
        try (Connection c = TestDatabase.plainConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean tableExists(String schema, String table) throws Exception {
        try (Connection c = TestDatabase.plainConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Runs the command line in this JVM; returns exit code, standard output, standard error. */
    private static String[] demo(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = EnvelopeCli.run(args);
            return new String[] {Integer.toString(code), outBytes.toString(StandardCharsets.UTF_8),
                    errBytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
