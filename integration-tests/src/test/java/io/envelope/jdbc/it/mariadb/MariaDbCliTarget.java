package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.EncryptedPlace;
import io.envelope.jdbc.it.cli.CliTarget;

import java.util.Locale;

/**
 * {@link CliTarget} on MariaDB through MariaDB Connector/J: a database per test ({@link EncryptedMariaDb}), rows
 * made with the sequence engine ({@code seq_1_to_n}).
 */
final class MariaDbCliTarget implements CliTarget {

    @Override
    public EncryptedPlace create(String prefix, String tablesYaml, String extraYaml) throws Exception {
        return EncryptedMariaDb.create(prefix, tablesYaml, extraYaml);
    }

    @Override
    public String name(EncryptedPlace place) {
        return ((EncryptedMariaDb) place).database();
    }

    @Override
    public String plainUrl(EncryptedPlace place) {
        return ((EncryptedMariaDb) place).plainUrl();
    }

    @Override
    public String shardHash() {
        return "crc32";
    }

    @Override
    public String[] createLegacyPeople() {
        return new String[] {
                "CREATE TABLE people (id INT PRIMARY KEY, phone TEXT, notes BLOB)",
                "INSERT INTO people SELECT seq, CONCAT('+49-555-', seq), CONCAT('note ', seq) FROM seq_1_to_2500"};
    }

    @Override
    public String[] createStripedPeople() {
        return new String[] {
                "CREATE TABLE people (id BIGINT PRIMARY KEY, phone TEXT)",
                // the sequence engine's seq is unsigned: signed before it goes below zero
                "INSERT INTO people SELECT CAST(seq AS SIGNED) * 7 - 5000, CONCAT('p', CAST(seq AS SIGNED) * 7 - 5000)"
                        + " FROM seq_0_to_714",
                "INSERT INTO people SELECT seq, CONCAT('p', seq) FROM seq_1_to_6000",
                "INSERT INTO people SELECT 1000000000000 + seq * 997, CONCAT('p', seq) FROM seq_1_to_300"};
    }

    /** A text key. */
    @Override
    public String[] createHashKeyedTokens() {
        return new String[] {
                "CREATE TABLE tokens (id VARCHAR(40) PRIMARY KEY, secret VARBINARY(200), email TEXT)",
                "INSERT INTO tokens SELECT CONCAT('m-', seq), CONCAT('s', seq), CONCAT('member', seq, '@example.com')"
                        + " FROM seq_1_to_3000"};
    }

    @Override
    public String createCards() {
        return "CREATE TABLE cards (id INT PRIMARY KEY, pan VARBINARY(200), holder TEXT)";
    }

    @Override
    public String createAccounts() {
        return "CREATE TABLE accounts (id INT PRIMARY KEY, iban VARBINARY(200), memo TEXT)";
    }

    @Override
    public String changeACharacterOfMemoInRow3() {
        return "UPDATE accounts SET memo = CONCAT(LEFT(memo, 30), IF(SUBSTRING(memo, 31, 1) = BINARY 'A', 'B', 'A'),"
                + " SUBSTRING(memo, 32)) WHERE id = 3";
    }

    @Override
    public String[] createDeployment() {
        return new String[] {
                "CREATE TABLE customers (id INT PRIMARY KEY, email VARBINARY(255), note VARCHAR(300),"
                        + " legacy VARCHAR(200))",
                "CREATE TABLE orders (id INT PRIMARY KEY, item BLOB, amount VARCHAR(100))"};
    }

    @Override
    public String productName() {
        return "MariaDB";
    }

    /** As the server's catalog names it: upper case. */
    @Override
    public String typeAsShown(String type) {
        return type.toUpperCase(Locale.ROOT);
    }

    /** VARBINARY(255) bounds the plaintext a deterministic text value may have. */
    @Override
    public String emailColumnReport(String place) {
        return "NOTE     column " + place + ".customers.email: VARBINARY(255), deterministic text: holds values up to"
                + " 191 bytes of UTF-8";
    }

    /** No owner: doctor does not check one on MariaDB. */
    @Override
    public String keyTableOwnerReport() {
        return "";
    }

    @Override
    public String alterColumnType(String table, String column, String type) {
        return "ALTER TABLE " + table + " MODIFY " + column + " " + type;
    }
}
