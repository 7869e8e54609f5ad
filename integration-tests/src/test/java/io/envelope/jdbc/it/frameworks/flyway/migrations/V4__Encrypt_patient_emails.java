package io.envelope.jdbc.it.frameworks.flyway.migrations;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encrypts the existing plaintext of patients.email in place, inside Flyway's transaction. It runs on Flyway's
 * connection, which is an envelope-jdbc connection: with {@code accept-plaintext: true} the read returns plaintext
 * whether a row was encrypted yet or not, and the update writes it back encrypted. Re-running it changes nothing a
 * reader can see (a deterministic column encrypts equal values equally).
 *
 * <p>For a large table beside live traffic, use the command line's {@code migrate --table patients} instead (in
 * batches, by primary key, updating a row only if it is unchanged), and keep this step out of Flyway.
 */
public class V4__Encrypt_patient_emails extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        Map<Integer, String> emails = new LinkedHashMap<>();
        try (Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery("SELECT id, email FROM patients ORDER BY id")) {
            while (rows.next()) {
                emails.put(rows.getInt(1), rows.getString(2));
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE patients SET email = ? WHERE id = ?")) {
            for (Map.Entry<Integer, String> row : emails.entrySet()) {
                update.setString(1, row.getValue());
                update.setInt(2, row.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }
}
