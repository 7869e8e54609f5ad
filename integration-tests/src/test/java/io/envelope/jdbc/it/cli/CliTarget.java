package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.it.EncryptedPlace;

/**
 * The database under {@link RewriteCommandScenarios} and {@link KeyBackupAndDoctorScenarios}, with what differs from
 * one database to another: the place and its name, the URL the command line is given, the DDL and bulk SQL that set
 * up each scenario's tables as a DBA (or the application before encryption) would, the SQL that tampers with a
 * stored value, and how {@code doctor} shows the database's types.
 */
public interface CliTarget {

    /** A fresh place configured with {@code tablesYaml} and {@code extraYaml} (see {@link EncryptedPlace}). */
    EncryptedPlace create(String prefix, String tablesYaml, String extraYaml) throws Exception;

    /** The schema (PostgreSQL) or database (MariaDB) of {@code place}: what qualifies its table identities. */
    String name(EncryptedPlace place);

    /** The target driver's plain URL of {@code place}: the command line's {@code --url}. */
    String plainUrl(EncryptedPlace place);

    /** The first word of the hash that shards a table whose first key column is not an integer. */
    String shardHash();

    /**
     * DDL and rows for people (id int key, phone text, notes binary): 2,500 legacy plaintext rows, id 1 to 2500,
     * phone {@code '+49-555-<id>'} and notes the bytes of {@code 'note <id>'}.
     */
    String[] createLegacyPeople();

    /**
     * DDL and rows for people (id bigint key, phone text) with plaintext phones {@code 'p<n>'}: ids -5000 to -1 in
     * steps of 7, 1 to 6000, and 300 huge ones ({@code 1000000000000 + n * 997}).
     */
    String[] createStripedPeople();

    /**
     * DDL and rows for tokens (id, a key that is not an integer; secret binary; email text): 3,000 plaintext rows,
     * secret the bytes of {@code 's<n>'} and email {@code 'member<n>@example.com'}, n from 1 to 3000.
     */
    String[] createHashKeyedTokens();

    /** DDL for cards (id int key, pan binary, holder text). */
    String createCards();

    /** DDL for accounts (id int key, iban binary, memo text). */
    String createAccounts();

    /** Changes the 31st character of row 3's stored memo (base64 text) to another base64 character. */
    String changeACharacterOfMemoInRow3();

    /**
     * DDL for the deployment {@code doctor} and the key backups check: customers (id int key, email binary,
     * note varchar(300), legacy text) and orders (id int key, item binary, amount varchar(100)).
     */
    String[] createDeployment();

    /** The product name {@code doctor}'s database line starts with. */
    String productName();

    /** A column type (lower case, e.g. {@code varchar(64)}) as {@code doctor} and the driver's messages show it. */
    String typeAsShown(String type);

    /** {@code doctor}'s line on the deployment's customers.email column, in {@code place} (its name). */
    String emailColumnReport(String place);

    /**
     * What {@code doctor}'s OK line on the key table says before its row count: who owns it ({@code "owned by "}),
     * or nothing where the database has no owner to check.
     */
    String keyTableOwnerReport();

    /** DDL that changes the type of {@code table.column} to {@code type}. */
    String alterColumnType(String table, String column, String type);
}
