package io.envelope.jdbc.it.frameworks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * The database under {@link HikariScenarios}, with what differs from one database to another: the customers
 * table, the target driver's URLs and options, how a physical connection is named and killed, and what is stored.
 */
public interface HikariTarget {

    /** The configuration's tables: customers' email deterministic, its note randomized. */
    String CUSTOMERS = """
              customers:
                columns:
                  email: { mode: deterministic }
                  note:  { mode: randomized, pad: 16 }
            """;

    /** Creates customers (id, email, note, plan) as a DBA would, the encrypted columns binary or text. */
    void createCustomers() throws SQLException;

    /** The wrapper's URL: {@code jdbc:envelope:<target driver's URL>}. */
    String envelopeUrl();

    /** The target driver's own URL of the same place. */
    String plainUrl();

    Path configFile();

    /** Options for the target driver that an application would set on a pool by jdbcUrl. */
    Map<String, String> driverOptions();

    /** The target driver's connection class, which an envelope connection unwraps to. */
    Class<?> driverConnectionClass();

    /** The server's id of the physical connection under {@code c}. */
    long backendId(Connection c) throws SQLException;

    /** Ends a physical connection from another one, behind the pool's back. */
    void kill(long backendId) throws SQLException;

    /** The target driver's options that make its prepared statements server-side ones from the first use. */
    Map<String, String> serverPrepareOptions();

    /** Asserts that {@code ps}, prepared through the wrapper, runs as a server-side prepared statement. */
    void assertServerPrepared(PreparedStatement ps) throws SQLException;

    /**
     * Asserts what else this database's schema makes the wrapper refuse inside a transaction (as an application
     * error that leaves the connection usable), on {@code c} with customer {@code id} inserted.
     */
    void assertOtherRefusals(Connection c, long id) throws SQLException;

    /** Asserts that the stored values of {@code table.column} are envelope values with none of {@code plaintexts}. */
    void assertStoredAsCiphertext(String table, String column, String... plaintexts) throws SQLException;
}
