package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link KeyBackupAndDoctorScenarios} (the restore drill of the README's "Backups and disaster recovery", and
 * {@code doctor}) on PostgreSQL through pgJDBC; and what only PostgreSQL has: a key table owned by another role than
 * the configured {@code key-table-owner}.
 */
class KeyBackupAndDoctorIT extends KeyBackupAndDoctorScenarios {

    KeyBackupAndDoctorIT() {
        super(new PostgresCliTarget());
    }

    @Test
    void aKeyTableOwnedByAnotherRoleThanTheConfiguredOwnerIsAProblem() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("doctorowner", TABLES, "key-table-owner: envelope_nobody\n");
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email bytea, note text, legacy text)",
                "CREATE TABLE orders (id int PRIMARY KEY, item bytea, amount bytea)",
                // made by another configuration's process (the connecting role owns it)
                "CREATE TABLE " + db.keyTable() + " (table_name varchar(255) NOT NULL, key_version integer NOT NULL,"
                        + " kms_provider varchar(32) NOT NULL, kms_key_id varchar(2048) NOT NULL, encrypted_key bytea"
                        + " NOT NULL, status varchar(16) NOT NULL, created_at timestamp NOT NULL,"
                        + " PRIMARY KEY (table_name, key_version))");
        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "PROBLEM"))
                .anyMatch(l -> l.startsWith("PROBLEM  key table " + db.keyTable() + ": ") && l.contains("is owned by"
                        + " role postgres, which is not the configured key-table-owner 'envelope_nobody'"))
                .anyMatch(l -> l.startsWith("PROBLEM  values: not checked"));
    }
}
