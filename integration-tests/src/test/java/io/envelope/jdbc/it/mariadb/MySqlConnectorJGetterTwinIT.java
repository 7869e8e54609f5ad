package io.envelope.jdbc.it.mariadb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import static io.envelope.jdbc.it.mariadb.MariaDbGetterTwinIT.GETTERS;
import static io.envelope.jdbc.it.mariadb.MariaDbGetterTwinIT.ROWS;
import static io.envelope.jdbc.it.mariadb.MariaDbGetterTwinIT.TYPES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MariaDbGetterTwinIT}'s getters with MySQL Connector/J as the target driver: table {@code plain} read with
 * plain MySQL Connector/J, table {@code enc} (written and read) through the wrapper over MySQL Connector/J. The
 * plain table is written with MariaDB Connector/J: MySQL Connector/J drops the fractional seconds of a bound time
 * on a MariaDB server (it takes it for MySQL 5.5), while the wrapper writes its own serialization, so the two
 * tables would not hold the same values. The differences are pinned in
 * {@code conformance/mysql-connector-j-getter-differences.txt}, each with its reason.
 */
class MySqlConnectorJGetterTwinIT {

    private static EncryptedMariaDb db;

    @BeforeAll
    static void setUp() throws Exception {
        db = MariaDbGetterTwinIT.twinDatabase("cjgetters");
        try (Connection p = db.plain(); Connection w = db.connectThroughMySqlConnectorJ()) {
            for (int id = 1; id <= ROWS; id++) {
                for (MariaDbGetterTwinIT.TypeCase t : TYPES) {
                    Object sample = id == ROWS ? null : t.samples().get(Math.min(id, t.samples().size()) - 1);
                    MariaDbGetterTwinIT.insert(p, "plain", t, id, sample);
                    MariaDbGetterTwinIT.insert(w, "enc", t, id, sample);
                }
            }
        }
    }

    @Test
    void everyGetterAnswersAsMySqlConnectorJDoesForAPlaintextColumn() throws Exception {
        List<String> differences = new ArrayList<>();
        try (Connection p = db.plainThroughMySqlConnectorJ(); Connection w = db.connectThroughMySqlConnectorJ()) {
            for (MariaDbGetterTwinIT.TypeCase t : TYPES) {
                for (int id = 1; id <= Math.min(ROWS, t.samples().size()) || id == ROWS; id++) {
                    for (Map.Entry<String, MariaDbGetterTwinIT.Getter> g : GETTERS.entrySet()) {
                        String expected = MariaDbGetterTwinIT.outcome(p, "plain", t, id, g.getValue());
                        String actual = MariaDbGetterTwinIT.outcome(w, "enc", t, id, g.getValue());
                        if (!Objects.equals(expected, actual)) {
                            differences.add(t.type() + " #" + id + " " + g.getKey() + ": driver " + expected
                                    + " | wrapper " + actual);
                        }
                    }
                    if (id == t.samples().size()) {
                        id = ROWS - 1; // then the NULL row
                    }
                }
            }
        }
        // what this run measured, for whoever updates the pinned file
        java.nio.file.Files.write(java.nio.file.Path.of("target", "mysql-connector-j-getter-differences.measured.txt"),
                differences, StandardCharsets.UTF_8);
        List<String> pinned = new ArrayList<>();
        try (InputStream in = MySqlConnectorJGetterTwinIT.class.getResourceAsStream(
                "/conformance/mysql-connector-j-getter-differences.txt")) {
            assertThat(in).as("conformance/mysql-connector-j-getter-differences.txt on the test class path")
                    .isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int reason = line.indexOf("  # ");
                    pinned.add((reason < 0 ? line : line.substring(0, reason)).trim());
                }
            }
        }
        TreeSet<String> unexpected = new TreeSet<>(differences);
        unexpected.removeAll(pinned);
        TreeSet<String> gone = new TreeSet<>(pinned);
        gone.removeAll(differences);
        assertThat(unexpected).as("differences from MySQL Connector/J that are not pinned").isEmpty();
        assertThat(gone).as("pinned differences that no longer occur").isEmpty();
    }

    @Test
    void resultMetadataDescribesTheColumnAsMySqlConnectorJDescribesAPlaintextOne() throws Exception {
        List<String> differences = new ArrayList<>();
        try (Connection p = db.plainThroughMySqlConnectorJ(); Connection w = db.connectThroughMySqlConnectorJ()) {
            for (MariaDbGetterTwinIT.TypeCase t : TYPES) {
                String expected = MariaDbGetterTwinIT.describe(p, "plain", t);
                String actual = MariaDbGetterTwinIT.describe(w, "enc", t);
                if (!expected.equals(actual)) {
                    differences.add(t.type() + ": driver " + expected + " | wrapper " + actual);
                }
            }
        }
        // The length a plaintext VARCHAR or VARBINARY column would have been declared with is not in the
        // configuration: the wrapper reports an unknown (unbounded) length.
        assertThat(differences).containsExactlyInAnyOrder(
                "text: driver 12 VARCHAR java.lang.String 100,0 unsigned | wrapper 12 VARCHAR java.lang.String "
                        + Integer.MAX_VALUE + ",0 unsigned",
                "bytes: driver -3 VARBINARY [B 100,0 unsigned | wrapper -3 VARBINARY [B " + Integer.MAX_VALUE
                        + ",0 unsigned");
    }
}
