package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.EncryptedPlace;
import io.envelope.jdbc.it.TestDatabase;

/** {@link CliTarget} on PostgreSQL through pgJDBC: a schema per test ({@link EncryptedDatabase}). */
final class PostgresCliTarget implements CliTarget {

    @Override
    public EncryptedPlace create(String prefix, String tablesYaml, String extraYaml) throws Exception {
        return EncryptedDatabase.create(prefix, tablesYaml, extraYaml);
    }

    @Override
    public String name(EncryptedPlace place) {
        return ((EncryptedDatabase) place).schema();
    }

    @Override
    public String plainUrl(EncryptedPlace place) {
        return TestDatabase.withSchema(TestDatabase.jdbcUrl(), name(place));
    }

    @Override
    public String shardHash() {
        return "hashtext";
    }

    @Override
    public String[] createLegacyPeople() {
        return new String[] {
                "CREATE TABLE people (id int PRIMARY KEY, phone text, notes bytea)",
                "INSERT INTO people SELECT id, '+49-555-' || id, convert_to('note ' || id, 'UTF8')"
                        + " FROM generate_series(1, 2500) AS id"};
    }

    @Override
    public String[] createStripedPeople() {
        return new String[] {
                "CREATE TABLE people (id bigint PRIMARY KEY, phone text)",
                "INSERT INTO people SELECT id, 'p' || id FROM generate_series(-5000, -1, 7) AS id",
                "INSERT INTO people SELECT id, 'p' || id FROM generate_series(1, 6000) AS id",
                "INSERT INTO people SELECT 1000000000000 + id * 997, 'p' || id FROM generate_series(1, 300) AS id"};
    }

    /** A uuid key. */
    @Override
    public String[] createHashKeyedTokens() {
        return new String[] {
                "CREATE TABLE tokens (id uuid PRIMARY KEY, secret bytea, email text)",
                "INSERT INTO tokens SELECT md5(i::text)::uuid, convert_to('s' || i, 'UTF8'),"
                        + " 'member' || i || '@example.com' FROM generate_series(1, 3000) AS i"};
    }

    @Override
    public String createCards() {
        return "CREATE TABLE cards (id int PRIMARY KEY, pan bytea, holder text)";
    }

    @Override
    public String createAccounts() {
        return "CREATE TABLE accounts (id int PRIMARY KEY, iban bytea, memo text)";
    }

    @Override
    public String changeACharacterOfMemoInRow3() {
        return "UPDATE accounts SET memo = overlay(memo PLACING CASE WHEN substr(memo, 31, 1) = 'A' THEN 'B'"
                + " ELSE 'A' END FROM 31 FOR 1) WHERE id = 3";
    }

    @Override
    public String[] createDeployment() {
        return new String[] {
                "CREATE TABLE customers (id int PRIMARY KEY, email bytea, note varchar(300), legacy text)",
                "CREATE TABLE orders (id int PRIMARY KEY, item bytea, amount varchar(100))"};
    }

    @Override
    public String productName() {
        return "PostgreSQL";
    }

    /** As the catalog names it: lower case. */
    @Override
    public String typeAsShown(String type) {
        return type;
    }

    /** bytea has no declared length: nothing to note. */
    @Override
    public String emailColumnReport(String place) {
        return "OK       column " + place + ".customers.email: bytea (raw bytes), deterministic text";
    }

    @Override
    public String keyTableOwnerReport() {
        return "owned by ";
    }

    @Override
    public String alterColumnType(String table, String column, String type) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE " + type;
    }
}
