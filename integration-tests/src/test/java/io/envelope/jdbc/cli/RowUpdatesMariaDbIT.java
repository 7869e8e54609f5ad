package io.envelope.jdbc.cli;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.it.mariadb.EncryptedMariaDb;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard of {@code migrate} and {@code reencrypt} on MariaDB: a cell is rewritten only if it still holds exactly
 * what was read. Under the server's default collations {@code 'ABC' = 'abc'} and {@code 'xyz' = 'xyz '}, so a value
 * the application changed only in case or trailing spaces would pass for the one read and be overwritten; and when
 * the driver reports no per-row counts ({@code useBulkStmts=true}) each row's outcome must still be known.
 * (In this package: {@link RowUpdates} is the command line's own.)
 */
class RowUpdatesMariaDbIT {

    @Test
    void aCellIsRewrittenOnlyWhereItHoldsExactlyWhatWasReadWithOrWithoutPerRowCounts() throws Exception {
        EncryptedMariaDb db = EncryptedMariaDb.create("cli_guard", """
                  notes:
                    columns:
                      body: { mode: randomized, accept-plaintext: true }
                """);
        String separator = db.plainUrl().contains("?") ? "&" : "?";
        for (String urlOption : new String[] {"", separator + "useBulkStmts=true"}) {
            db.executePlain("DROP TABLE IF EXISTS notes",
                    "CREATE TABLE notes (id INT PRIMARY KEY, body TEXT CHARACTER SET latin1"
                            + " COLLATE latin1_swedish_ci)",
                    // what the application holds now; what the command read before is in the changes below
                    "INSERT INTO notes VALUES (1, 'abc'), (2, 'xyz '), (3, 'café'), (4, 'same')");
            DatabaseOptions options = new DatabaseOptions();
            options.config = db.configFile().toString();
            options.url = db.plainUrl() + urlOption;
            EnvelopeConfig config = options.loadConfig();
            int[] counts;
            try (Connection c = options.openTarget()) {
                EncryptedTable table = options.configuredTable(config, c, "notes");
                EncryptedColumn body = table.column("body");
                RowUpdates updates = new RowUpdates(c, SqlText.of(c), table, List.of("id"));
                BitSet one = new BitSet();
                one.set(0);
                List<RowUpdates.Change> changes = new ArrayList<>();
                String[][] read = {{"1", "ABC"}, {"2", "xyz"}, {"3", "café"}, {"4", "same"}};
                for (String[] r : read) {
                    changes.add(new RowUpdates.Change(new Object[] {Integer.valueOf(r[0]), r[1]},
                            new Object[] {"rewritten " + r[0]}, one));
                }
                c.setAutoCommit(false);
                counts = updates.apply(List.of(body), new ColumnStorage[] {ColumnStorage.BASE64_TEXT}, one,
                        changes);
                c.commit();
            }
            assertThat(counts).as(urlOption).containsExactly(0, 0, 1, 1);
            List<String> stored = new ArrayList<>();
            try (Connection c = db.plain(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT CONCAT('[', body, ']') FROM notes ORDER BY id")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
            assertThat(stored).as(urlOption).containsExactly("[abc]", "[xyz ]", "[rewritten 3]", "[rewritten 4]");
        }
    }
}
