package io.envelope.jdbc.it.schema;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.frameworks.Ciphertext;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Partitions and inheritance children (at any depth) of a configured table are the configured table: a value
 * written through a child's name is encrypted under the parent's identity and reads back through the parent,
 * and the other way round (issue 8, finding 3). A table above a configured one is refused.
 */
class PartitionsIT {

    private static final String CONFIG = """
              events:
                columns:
                  email: { mode: deterministic }
                  note: { mode: randomized }
            """;

    @Test
    void aRowWrittenThroughAPartitionWhoseNameLacksTheParentsIsEncryptedAndReadsBackThroughTheParent()
            throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("partitions", CONFIG);
        // text columns (base64 ciphertext): a statement that slipped past the wrapper would store the plaintext
        db.executePlain("CREATE TABLE events (id int, region text, email text, note text) PARTITION BY LIST (region)",
                // the partition's name does not contain "events": the token gate must learn it from the catalog
                "CREATE TABLE eu_rows PARTITION OF events FOR VALUES IN ('eu')",
                "CREATE TABLE us_rows PARTITION OF events FOR VALUES IN ('us') PARTITION BY LIST (id)",
                "CREATE TABLE us_small PARTITION OF us_rows FOR VALUES IN (1, 2, 3)");
        try (Connection c = db.connect()) {
            insert(c, "INSERT INTO eu_rows (id, region, email, note) VALUES (?, 'eu', ?, ?)", 1,
                    "canary-eu@example.com", "canary note eu");
            insert(c, "INSERT INTO us_small (id, region, email, note) VALUES (?, 'us', ?, ?)", 2,
                    "canary-us@example.com", "canary note us");
            insert(c, "INSERT INTO events (id, region, email, note) VALUES (?, 'eu', ?, ?)", 3,
                    "canary-parent@example.com", "canary note parent");

            // through the parent: every row, decrypted, and a lookup by a value written through a partition
            assertThat(emailsOf(c, "SELECT email FROM events ORDER BY id")).containsExactly(
                    "canary-eu@example.com", "canary-us@example.com", "canary-parent@example.com");
            try (PreparedStatement ps = c.prepareStatement("SELECT note FROM events WHERE email = ?")) {
                ps.setString(1, "canary-us@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("canary note us");
                }
            }
            // through a partition: the row written through the parent, found by its encrypted value
            try (PreparedStatement ps = c.prepareStatement("SELECT id, note FROM eu_rows WHERE email = ?")) {
                ps.setString(1, "canary-parent@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                    assertThat(rs.getString(2)).isEqualTo("canary note parent");
                }
            }
            // UPDATE through a sub-partition's name encrypts too
            try (PreparedStatement ps = c.prepareStatement("UPDATE us_small SET note = ? WHERE email = ?")) {
                ps.setString(1, "canary updated note");
                ps.setString(2, "canary-us@example.com");
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
        for (String table : new String[] {"eu_rows", "us_small"}) {
            Ciphertext.assertStoredAsCiphertext(db, table, "email", "canary");
            Ciphertext.assertStoredAsCiphertext(db, table, "note", "canary");
        }
        // one identity for the whole tree: one key, under the parent's name
        assertThat(db.keyRows(db.schema() + ".events")).isEqualTo(1);
        assertThat(db.keyRows(db.schema() + ".eu_rows")).isZero();
    }

    @Test
    void aRowWrittenThroughAPartitionNamedAfterItsParentIsEncrypted() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("partitions", CONFIG);
        // the usual naming: the scan in front of analysis looks for "events" only (it is inside "events_2024"), so
        // the check of the statement's tokens must still know "events_2024" (before the fix: stored as plaintext)
        db.executePlain("CREATE TABLE events (id int, region text, email text, note text) PARTITION BY LIST (region)",
                "CREATE TABLE events_2024 PARTITION OF events FOR VALUES IN ('eu')");
        try (Connection c = db.connect()) {
            insert(c, "INSERT INTO events_2024 (id, region, email, note) VALUES (?, 'eu', ?, ?)", 1,
                    "canary-2024@example.com", "canary note 2024");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO events_2024 (id, region, email, note)"
                        + " VALUES (2, 'eu', 'canary-literal@example.com', 'canary literal note')");
            }
            assertThat(emailsOf(c, "SELECT email FROM events_2024 ORDER BY id"))
                    .containsExactly("canary-2024@example.com", "canary-literal@example.com");
        }
        Ciphertext.assertStoredAsCiphertext(db, "events_2024", "email", "canary");
        Ciphertext.assertStoredAsCiphertext(db, "events_2024", "note", "canary");
    }

    @Test
    void anInheritanceChildIsTheConfiguredTableAndMayAddColumns() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("inherits", CONFIG);
        db.executePlain("CREATE TABLE events (id int, email bytea, note bytea)",
                "CREATE TABLE vip_visits (tier int) INHERITS (events)",
                "CREATE TABLE vip_gold (perk text) INHERITS (vip_visits)");
        try (Connection c = db.connect()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vip_gold VALUES (?, ?, ?, ?, ?)")) {
                ps.setInt(1, 7);
                ps.setString(2, "canary-gold@example.com");
                ps.setString(3, "canary gold note");
                ps.setInt(4, 1);
                ps.setString(5, "lounge");
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM vip_gold")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("email")).isEqualTo("canary-gold@example.com");
                assertThat(rs.getString("note")).isEqualTo("canary gold note");
                assertThat(rs.getString("perk")).isEqualTo("lounge");
            }
            assertThat(emailsOf(c, "SELECT email FROM events")).containsExactly("canary-gold@example.com");
        }
        Ciphertext.assertStoredAsCiphertext(db, "vip_gold", "email", "canary");
        Ciphertext.assertStoredAsCiphertext(db, "vip_gold", "note", "canary");
    }

    @Test
    void aPartitionCreatedThroughTheWrapperIsEncryptedAtOnce() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("newpartition", CONFIG);
        db.executePlain("CREATE TABLE events (id int, region text, email bytea, note bytea) PARTITION BY LIST (region)",
                "CREATE TABLE apac (id int, region text, email bytea, note bytea)");
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE events ATTACH PARTITION apac FOR VALUES IN ('apac')");
            }
            insert(c, "INSERT INTO apac (id, region, email, note) VALUES (?, 'apac', ?, ?)", 1,
                    "canary-apac@example.com", "canary apac");
            assertThat(emailsOf(c, "SELECT email FROM events")).containsExactly("canary-apac@example.com");
        }
        Ciphertext.assertStoredAsCiphertext(db, "apac", "email", "canary");
    }

    @Test
    void aPartitionAttachedInAnOpenTransactionIsEncryptedThereWhateverOtherConnectionsReadMeanwhile()
            throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("txnpartition", CONFIG);
        db.executePlain("CREATE TABLE events (id int, region text, email text, note text) PARTITION BY LIST (region)",
                "CREATE TABLE late (id int, region text, email text, note text)");
        try (Connection a = db.connect(); Connection b = db.connect()) {
            a.setAutoCommit(false);
            try (Statement s = a.createStatement()) {
                s.execute("ALTER TABLE events ATTACH PARTITION late FOR VALUES IN ('late')");
            }
            // the other connection re-reads the catalog now, and cannot see the uncommitted partition
            try (Statement s = b.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            insert(a, "INSERT INTO late (id, region, email, note) VALUES (?, 'late', ?, ?)", 1,
                    "canary-late@example.com", "canary late");
            a.commit();
            assertThat(emailsOf(b, "SELECT email FROM events")).containsExactly("canary-late@example.com");
        }
        Ciphertext.assertStoredAsCiphertext(db, "late", "email", "canary");
        Ciphertext.assertStoredAsCiphertext(db, "late", "note", "canary");
    }

    @Test
    void aStatementOnATableAboveAConfiguredPartitionIsRefused() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("above", """
                  eu_rows:
                    columns:
                      email: { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE events (id int, region text, email bytea) PARTITION BY LIST (region)",
                "CREATE TABLE eu_rows PARTITION OF events FOR VALUES IN ('eu')",
                "CREATE TABLE us_rows PARTITION OF events FOR VALUES IN ('us')");
        try (Connection c = db.connect()) {
            for (String sql : new String[] {
                    "UPDATE events SET email = ? WHERE id = 1",
                    "INSERT INTO events (id, region, email) VALUES (1, 'eu', ?)",
                    "SELECT email FROM events"}) {
                Throwable refused = catchThrowable(() -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        if (ps.getParameterMetaData().getParameterCount() > 0) {
                            ps.setBytes(1, "canary-above@example.com".getBytes());
                        }
                        ps.execute();
                    }
                });
                assertThat(refused).as(sql).isInstanceOf(SQLException.class);
                assertThat(refused.getMessage()).startsWith("envelope-jdbc:").contains(db.schema() + ".events")
                        .contains(db.schema() + ".eu_rows").contains("Name the configured table");
            }
            insert(c, "INSERT INTO eu_rows (id, region, email) VALUES (?, 'eu', ?)", 1, "canary-eu@example.com", null);
        }
        try (Connection plain = db.plain(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        Ciphertext.assertStoredAsCiphertext(db, "eu_rows", "email", "canary");
    }

    @Test
    void configuringAPartitionBesideItsParentIsAnErrorAtConnect() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("both", CONFIG + """
                  eu_rows:
                    columns:
                      email: { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE events (id int, region text, email bytea, note bytea) PARTITION BY LIST (region)",
                "CREATE TABLE eu_rows PARTITION OF events FOR VALUES IN ('eu')");
        Throwable failure = catchThrowable(db::connect);
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(failure.getMessage()).startsWith("envelope-jdbc:").contains(db.schema() + ".eu_rows")
                .contains("Configure only the top table");
    }

    private static void insert(Connection c, String sql, int id, String email, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, id);
            ps.setString(2, email);
            if (note != null) {
                ps.setString(3, note);
            }
            ps.executeUpdate();
        }
    }

    private static java.util.List<String> emailsOf(Connection c, String sql) throws SQLException {
        java.util.List<String> emails = new java.util.ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                emails.add(rs.getString(1));
            }
        }
        return emails;
    }
}
