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
}
